// api.js - the one way the console talks to the server: fetch with the session cookie
// (same origin; the browser adds Origin to unsafe requests, which the server checks), JSON in
// and out, and the error envelope {"error":{code,message,field,request_id}} turned into an
// ApiError whose message is what the console shows. A 401 on any call means the session has
// ended (idle timeout, logout elsewhere): the handler set by the router sends the user to login.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, body, headers) {
    const e = (body && body.error) || {};
    super(e.message || fallbackMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'http_' + status);
    this.field = e.field || null;
    this.requestId = e.request_id || null;
    const ra = headers && headers.get ? Number(headers.get('Retry-After')) : NaN;
    this.retryAfter = Number.isFinite(ra) && ra > 0 ? ra : null;
    this.body = body || null; // the whole answer (e.g. an import's "errors" by row and column)
  }

  /** The text to show a person: the server's message, with the request id for a 500. */
  get display() {
    if (this.status >= 500 && this.requestId) return `${this.message}（请求编号：${this.requestId}）`;
    return this.message;
  }

  get forbidden() {
    return this.status === 403 && this.code !== 'password_change_required';
  }

  /** Absent, or another unit's: the server answers both alike (404), so ids are not told apart. */
  get notFound() {
    return this.status === 404;
  }
}

function fallbackMessage(status) {
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  if (status === 401) return '请先登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '请求的内容不存在';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return `服务器暂时无法处理请求（${status}）`;
  return `请求失败（${status}）`;
}

const handlers = { unauthorized: null, passwordChange: null };

/** The router registers what to do when the session is gone or a password change is due. */
export function onSessionEvents({ unauthorized, passwordChange }) {
  handlers.unauthorized = unauthorized;
  handlers.passwordChange = passwordChange;
}

/** A random Idempotency-Key (works outside secure contexts too, unlike randomUUID). */
export function newIdempotencyKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}

function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

/**
 * One request. opts: body (sent as JSON), query (object; empty values left out),
 * idempotencyKey, quiet401 (a 401 is the caller's business: login, the first /me),
 * quietPwChange (a password_change_required 403 is the caller's business).
 */
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res;
  try {
    res = await fetch(BASE + path + queryString(opts.query), {
      method, headers, body, credentials: 'same-origin', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null, null);
  }
  let data = null;
  if ((res.headers.get('Content-Type') || '').startsWith('application/json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, res.headers);
    if (res.status === 401 && !opts.quiet401 && handlers.unauthorized) handlers.unauthorized(err);
    if (err.code === 'password_change_required' && !opts.quietPwChange && handlers.passwordChange) handlers.passwordChange(err);
    throw err;
  }
  return data;
}

/** The file name a Content-Disposition header gives (RFC 5987 filename* first). */
function dispositionName(h) {
  if (!h) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(h);
  if (star) {
    try { return decodeURIComponent(star[1].trim()); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(h);
  return plain ? plain[1].trim() : null;
}

/**
 * Downloads a file the API answers as an attachment (an export): fetched first so an error
 * comes back as an ApiError the page can show, then saved under the server's file name.
 */
export async function download(path, query, fallbackName = 'download') {
  let res;
  try {
    res = await fetch(BASE + path + queryString(query), { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, null, null);
  }
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    const err = new ApiError(res.status, data, res.headers);
    if (res.status === 401 && handlers.unauthorized) handlers.unauthorized(err);
    throw err;
  }
  const blob = await res.blob();
  const name = dispositionName(res.headers.get('Content-Disposition')) || fallbackName;
  saveBlob(blob, name);
  return { name, size: blob.size };
}

/** Saves bytes as a file the browser downloads under name (a real file, not a page). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * Sends a file as the raw request body (evidence, imports) with XMLHttpRequest, which reports
 * upload progress: onProgress(percent 0-100). Resolves with the JSON answer; rejects with an
 * ApiError carrying the server's message (413 too large, 415 wrong type, 422 …).
 */
export function upload(method, path, file, { contentType, query, idempotencyKey, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, BASE + path + queryString(query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', contentType || file.type || 'application/octet-stream');
    if (idempotencyKey) xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
    if (onProgress) {
      xhr.upload.onprogress = e => {
        if (e.lengthComputable && e.total > 0) onProgress(Math.min(100, Math.floor((e.loaded / e.total) * 100)));
      };
      xhr.upload.onload = () => onProgress(100);
    }
    const headers = { get: n => xhr.getResponseHeader(n) };
    xhr.onerror = () => reject(new ApiError(0, null, null));
    xhr.onload = () => {
      let data = null;
      if ((xhr.getResponseHeader('Content-Type') || '').startsWith('application/json')) {
        try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data);
        return;
      }
      const err = new ApiError(xhr.status, data, headers);
      if (xhr.status === 401 && handlers.unauthorized) handlers.unauthorized(err);
      reject(err);
    };
    xhr.send(file);
  });
}

export const get = (path, query, opts) => api('GET', path, { ...opts, query });
export const post = (path, body, opts) => api('POST', path, { ...opts, body });
export const put = (path, body, opts) => api('PUT', path, { ...opts, body });
export const patch = (path, body, opts) => api('PATCH', path, { ...opts, body });
export const del = (path, opts) => api('DELETE', path, opts);

/** Every page of a list (for small lists such as units), following next_cursor. */
export async function getAll(path, query = {}, max = 20) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < max; i++) {
    const page = await get(path, { ...query, limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}
