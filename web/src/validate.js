// validate.js - the checks a form makes before it sends anything. They mirror the server's
// rules (src/base/validate.c, src/org/users.c) so a person sees the problem at once; the server
// checks again and its field errors are shown beside the field all the same. The password
// minimum is the security policy's, sent in /me.
import { policy } from './session.js';

/** Password policy: ≥ the policy's minimum (password_min_length in /me), 3 of 4 classes, not
 * containing the username. */
export function passwordProblem(pw, username) {
  const min = policy().password_min_length || 12; // 12: the national baseline, never lower
  if (!pw) return '请输入新密码';
  let lower = false, upper = false, digit = false, other = false, chars = 0;
  for (const ch of pw) {
    chars++;
    if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else other = true;
  }
  if (chars < min) return `密码长度至少为${min}个字符`;
  if (lower + upper + digit + other < 3) return '密码应至少包含小写字母、大写字母、数字、其他符号中的3类';
  if (username && pw.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

/** A return reason (退回理由): required, at most max characters (the server's limit). */
export function reasonProblem(reason, missing, max = 1000) {
  if (!reason) return missing;
  if ([...reason].length > max) return `退回理由最多 ${max} 字`;
  return null;
}

export function usernameProblem(u) {
  if (!u) return '请输入用户名';
  if (u.length < 3 || u.length > 32) return '用户名长度应为3-32个字符';
  if (!/^[A-Za-z0-9_.-]+$/.test(u)) return '用户名只能包含字母、数字、下划线、点和连字符';
  return null;
}

export function mobileProblem(s) {
  if (!/^\d{11}$/.test(s)) return '手机号应为11位数字';
  if (!/^1[3-9]/.test(s)) return '手机号格式不正确（应以13-19开头）';
  return null;
}

/** GB 11643 resident ID: 18 characters, a real birth date, the check character. */
export function residentIdProblem(s) {
  if (s.length !== 18) return '身份证号长度应为18位';
  if (!/^\d{17}[\dXx]$/.test(s)) return '身份证号前17位应为数字，最后一位为数字或X';
  if (s[0] < '1' || s[0] > '8') return '身份证号地区码无效（首位应为1-8）';
  const y = Number(s.slice(6, 10)), m = Number(s.slice(10, 12)), d = Number(s.slice(12, 14));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || y < 1900 || dt > new Date())
    return '身份证号中的出生日期无效';
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * w[i];
  if ('10X98765432'[sum % 11] !== s[17].toUpperCase()) return '身份证号校验位不正确';
  return null;
}

/** An Element Plus form rule from a function that returns a problem or null. */
export function ruleFrom(fn, { optional = false } = {}) {
  return {
    trigger: 'blur',
    validator: (_rule, value, cb) => {
      const v = typeof value === 'string' ? value.trim() : value;
      if (optional && (v === '' || v === null || v === undefined)) return cb();
      const p = fn(v);
      return p ? cb(new Error(p)) : cb();
    },
  };
}

export const required = (message, trigger = 'blur') => ({ required: true, message, trigger });

/** Characters as the server counts them (code points of the trimmed text). */
export const charCount = s => [...String(s ?? '').trim()].length;

/** A rule refusing a text longer than max characters (the server's limit, from /me policy.limits;
 * none when max is unknown), saying how long it is: nothing is cut behind the person's back. */
export function lengthRule(label, max) {
  return {
    trigger: ['blur', 'change'],
    validator: (_r, v, cb) => {
      const n = charCount(v);
      return max && n > max ? cb(new Error(`${label}最多 ${max} 字，现有 ${n} 字，请删减 ${n - max} 字后再提交`)) : cb();
    },
  };
}
