// sheetfile.js - the spreadsheet files imports accept (.xlsx, first sheet, or UTF-8 .csv, at
// most 10 MB, as the server's base/table.h reads them): the Content-Type to send a picked file
// with, and why a picked file is refused before anything is sent.
import { fmtSize } from './format.js';

export const SHEET_MAX = 10 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The Content-Type for a picked file, by its name; null when it is neither .csv nor .xlsx.
export function sheetType(f) {
  if (/\.csv$/i.test(f.name)) return 'text/csv';
  if (/\.xlsx$/i.test(f.name)) return XLSX;
  return null;
}

// Why the picked file cannot be imported ('' when it can).
export function sheetProblem(f) {
  if (!sheetType(f)) return `请选择 .xlsx 或 .csv 文件（所选文件：${f.name}）`;
  if (f.size === 0) return '文件为空';
  if (f.size > SHEET_MAX) return `文件过大（${fmtSize(f.size)}）：最多 10 MB`;
  return '';
}
