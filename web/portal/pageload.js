// pageload.js - the one way a portal page reads what it shows: usePageLoad(loader) runs the
// loader when the page opens and again on reload(), and keeps { loading, error } for
// <PageState>, which shows 正在读取…, or 读取失败 with the reason and a 重试 button.
import { onMounted, reactive } from 'vue';
import { errorText } from './forms.js';

/**
 * loader: an async function that fills the page's own refs. It may throw; the error's text is
 * kept. With { auto: false } the page calls reload() itself (after reading its route, say).
 */
export function usePageLoad(loader, { auto = true } = {}) {
  const page = reactive({ loading: true, error: null, reload });
  async function reload() {
    page.loading = true;
    page.error = null;
    try {
      await loader();
    } catch (e) {
      page.error = errorText(e);
    } finally {
      page.loading = false;
    }
  }
  if (auto) onMounted(reload);
  return page;
}
