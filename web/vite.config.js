// vite.config.js - builds the console (index.html, src/) and the public portal (m/index.html,
// portal/) into web/dist, which `ecoact serve` serves with a strict CSP (no inline scripts, no
// eval, same-origin only): plain module scripts, hashed files under /assets/ (cached for a year
// by the server), no CDN. The portal's shell lands at dist/m/index.html, which the server gives
// every /m/… route (src/http/static.c).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const here = p => fileURLToPath(new URL(p, import.meta.url));

// Vant's icon font comes inline (a data: woff2) with a fallback on a CDN, which the CSP refuses
// (font-src 'self' data:) and the portal must not load: the fallback is cut from its CSS.
const noIconCdn = {
  name: 'ecoact-no-icon-cdn',
  enforce: 'pre',
  transform(code, id) {
    if (!/node_modules\/vant\/es\/icon\/index\.css/.test(id)) return null;
    return { code: code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/g, ''), map: null };
  },
};

export default defineConfig({
  plugins: [vue(), noIconCdn],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Everything as files: data: URLs are allowed for images and fonts only.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: { console: here('./index.html'), portal: here('./m/index.html') },
      output: {
        // Libraries change less often than the apps: separate chunks keep their cache. Vue is
        // its own chunk so that the portal (Vue + Vant) never loads Element Plus or ECharts.
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/vant') || id.includes('node_modules/@vant')) return 'vant';
          if (/node_modules\/(@vue|vue|vue-router)\//.test(id)) return 'vue';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  // `npm run dev` against a local `ecoact serve` on :8080.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
