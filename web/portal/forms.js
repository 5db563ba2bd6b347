// forms.js - what the portal's forms share: the server's error envelope shown beside the field
// it names (error.field; the message says why), or above the form when it names none of the
// form's fields; a write with a fresh Idempotency-Key; and the countdown before a new one-time
// code may be asked for (the server's resend_after, or Retry-After on a 429).
import { onBeforeUnmount, reactive, ref, watch } from 'vue';
import { showSuccessToast } from 'vant';
import { api, newIdempotencyKey, saveBlob } from '../src/api.js';
import { forget } from './session.js';
import { router } from './router.js';

/** The text to show for an error: the server's message, with the wait when it gives one. */
export function errorText(e) {
  if (!e) return '';
  let t = e.display || e.message || String(e);
  if (e.retryAfter && !/\d/.test(t)) {
    if (e.retryAfter >= 120) t += `（约 ${Math.ceil(e.retryAfter / 60)} 分钟后可再试）`;
    else t += `（${e.retryAfter} 秒后可再试）`;
  }
  return t;
}

/**
 * Errors of a form with the given field names. apply(err) puts the message beside its field
 * (true) or in general (false). fields: { name: message }. With form (the reactive values), a
 * field's message goes when the person changes its value.
 */
export function useFieldErrors(names, { alias = {}, form = null } = {}) {
  const errors = reactive({ fields: {}, general: null });
  for (const n of names) {
    errors.fields[n] = '';
    // (not when the page itself empties it, as it does a password after a refusal)
    if (form && n in form) watch(() => form[n], v => { if (v !== '') errors.fields[n] = ''; });
  }
  function clear() {
    for (const n of names) errors.fields[n] = '';
    errors.general = null;
  }
  function apply(e) {
    clear();
    const f = e && e.field ? alias[e.field] || e.field : null;
    if (f && names.includes(f)) {
      errors.fields[f] = errorText(e);
      return true;
    }
    errors.general = errorText(e);
    return false;
  }
  function set(name, message) { errors.fields[name] = message; }
  return { errors, apply, clear, set };
}

/**
 * A write (POST, PATCH, DELETE) with a fresh Idempotency-Key. opts.reauth: the body carries the
 * password again, so a 401 naming field "password" is a wrong password (shown beside the field),
 * while any other 401 means the session has ended (to log-in, as everywhere).
 */
export async function write(method, path, body, opts = {}) {
  const { reauth, ...rest } = opts;
  try {
    return await api(method, path, { ...rest, body, idempotencyKey: newIdempotencyKey(), quiet401: rest.quiet401 || !!reauth });
  } catch (e) {
    if (reauth && e.status === 401 && e.field !== 'password') sessionEnded();
    throw e;
  }
}

function sessionEnded() {
  forget('登录已过期，请重新登录');
  const here = router.currentRoute.value;
  router.replace({ name: 'login', query: { redirect: here.fullPath } });
}

/** Seconds left before another code may be sent; start(n) counts down from n. */
export function useCountdown() {
  const left = ref(0);
  let timer = null;
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }
  function start(seconds) {
    stop();
    left.value = Math.max(0, Math.ceil(Number(seconds) || 0));
    if (left.value <= 0) return;
    timer = setInterval(() => {
      left.value -= 1;
      if (left.value <= 0) stop();
    }, 1000);
  }
  onBeforeUnmount(stop);
  return { left, start };
}

/**
 * Sending a one-time code to form.phone for purpose, with the resend countdown: send() checks
 * the number (label names it in the message), then asks the server; on success the countdown
 * runs for the server's resend_after, on a 429 for its Retry-After, and other refusals go to
 * the fields (the useFieldErrors() of the page).
 */
export function useCodeSender(form, fields, purpose, label) {
  const sent = ref(false);
  const sending = ref(false);
  const countdown = useCountdown();
  async function send() {
    fields.clear();
    fields.set('phone', missing(form.phone, label));
    if (fields.errors.fields.phone) return;
    sending.value = true;
    try {
      const r = await write('POST', '/citizen/otp', { phone: form.phone.trim(), purpose });
      countdown.start(r.resend_after);
      sent.value = true;
      showSuccessToast('验证码已发送');
    } catch (e) {
      if (e.status === 429 && e.retryAfter && e.retryAfter < 3600) countdown.start(e.retryAfter);
      fields.apply(e);
    } finally {
      sending.value = false;
    }
  }
  return { sent, sending, countdown, send };
}

/** A required field left empty: the message names the field. */
export function missing(value, label) {
  return String(value ?? '').trim() === '' ? `请填写${label}` : '';
}

/** Saves a JSON document as a file the browser downloads (a real file, not a page). */
export function saveJson(data, name) {
  const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
  saveBlob(blob, name);
  return blob.size;
}

/** Dates for people: unix seconds → 2026年12月2日 14:05 (Asia/Shanghai). */
export function when(sec) {
  if (!sec) return '';
  const d = new Date(Number(sec) * 1000);
  const p = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d);
  const g = t => p.find(x => x.type === t)?.value ?? '';
  return `${g('year')}年${g('month')}月${g('day')}日 ${g('hour')}:${g('minute')}`;
}
