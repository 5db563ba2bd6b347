// composables.js - state shared by the pages: cursor-paged lists ({items, next_cursor} with
// ?limit=&cursor=), the server's field errors shown beside form fields, whether the window is
// phone-narrow, a confirmation before what cannot be undone, and a copy to the clipboard that
// also works over plain http.
import { onBeforeUnmount, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';

/**
 * A list read page by page through the API's cursors. load({limit, cursor}) returns a page.
 * The cursors of the pages seen so far are kept so 上一页 works too.
 */
export function useCursorList(load, { limit = 20 } = {}) {
  const s = reactive({ items: [], loading: false, error: null, page: 1, limit, next: null, loaded: false, total: null });
  let cursors = [null];
  let seq = 0;

  async function fetchPage() {
    const mine = ++seq;
    s.loading = true;
    s.error = null;
    try {
      const res = await load({ limit: s.limit, cursor: cursors[s.page - 1] });
      if (mine !== seq) return false;
      // A full last page answers a cursor whose next page is empty: stay where we were.
      if (s.page > 1 && res.items.length === 0) {
        s.page--;
        s.next = null;
        ElMessage.info('已是最后一页');
        return false;
      }
      s.items = res.items;
      s.next = res.next_cursor;
      s.total = typeof res.total === 'number' ? res.total : null; // how many match (issue 19)
      s.loaded = true;
      return true;
    } catch (e) {
      if (mine !== seq) return false;
      s.error = e;
      s.items = [];
      s.next = null;
      return false;
    } finally {
      if (mine === seq) s.loading = false;
    }
  }

  return {
    state: s,
    reload: fetchPage,
    reset() {
      s.page = 1;
      cursors = [null];
      return fetchPage();
    },
    next() {
      if (!s.next) return undefined;
      cursors[s.page] = s.next;
      s.page++;
      return fetchPage();
    },
    prev() {
      if (s.page <= 1) return undefined;
      s.page--;
      return fetchPage();
    },
    setLimit(n) {
      s.limit = n;
      s.page = 1;
      cursors = [null];
      return fetchPage();
    },
  };
}

/**
 * Field errors from the server, keyed by field name; bind with
 * <el-form-item :error="errors.fields.name">. apply(err) returns true when the error named a
 * field of the form (shown beside it), false when it is for a general alert.
 */
export function useFieldErrors(fieldNames, { alias = {} } = {}) {
  const errors = reactive({ fields: {}, general: null });
  // The server names nested fields by their JSON path (deadline.text, who.units, lead[2],
  // metrics.participants): the form field is the path itself, an alias, the path without its
  // indexes, or its first part, whichever the form has.
  function formField(f) {
    const bare = f.replace(/\[\d+\]/g, '');
    for (const c of [f, bare, bare.split('.')[0]]) {
      if (alias[c] && fieldNames.includes(alias[c])) return alias[c];
      if (fieldNames.includes(c)) return c;
    }
    return null;
  }
  return {
    errors,
    clear() {
      errors.fields = {};
      errors.general = null;
    },
    /** Shows a problem found before sending beside its field. */
    set(field, message) {
      errors.fields = { [field]: message };
      errors.general = null;
    },
    apply(err) {
      errors.fields = {};
      const f = err && err.field ? formField(err.field) : null;
      if (f) {
        errors.fields = { [f]: err.display || err.message };
        errors.general = null;
        return true;
      }
      errors.general = err;
      return false;
    },
  };
}

/** Whether the window is phone-narrow (< 768 px), kept up to date. */
export function useNarrow() {
  const mq = window.matchMedia('(max-width: 767px)');
  const narrow = ref(mq.matches);
  const on = e => { narrow.value = e.matches; };
  mq.addEventListener('change', on);
  onBeforeUnmount(() => mq.removeEventListener('change', on));
  return narrow;
}

/** Asks before doing something that cannot be undone; true when the person confirmed. */
export async function confirmAction(message, title, button, { type = 'warning', danger = false } = {}) {
  try {
    await ElMessageBox.confirm(message, title, {
      confirmButtonText: button, cancelButtonText: '取消', type,
      confirmButtonClass: danger ? 'el-button--danger' : undefined,
    });
    return true;
  } catch {
    return false;
  }
}

/** Copies text; falls back to a hidden textarea where the Clipboard API is unavailable. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
    } else {
      const ta = document.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      const ok = document.execCommand('copy');
      document.body.removeChild(ta);
      if (!ok) throw new Error('copy failed');
    }
    ElMessage.success('已复制到剪贴板');
  } catch {
    ElMessage.warning('无法自动复制，请手动选中后复制');
  }
}

/**
 * An export button's work: downloads the server's file (api.js download: the server names it,
 * 「…_2026年12月2日.xlsx」) with the query of the moment, says so, or shows the error. run()
 * resolves with {name, size} or null; busy is true meanwhile.
 */
export function useExport(path, query = () => ({}), fallbackName = 'download.xlsx') {
  const busy = ref(false);
  async function run() {
    busy.value = true;
    try {
      const { download } = await import('./api.js');
      const f = await download(typeof path === 'function' ? path() : path, query(), fallbackName);
      ElMessage.success(`已导出 ${f.name}`);
      return f;
    } catch (e) {
      ElMessage.error(e.display || e.message);
      return null;
    } finally {
      busy.value = false;
    }
  }
  return { busy, run };
}
