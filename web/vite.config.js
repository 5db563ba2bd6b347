// vite.config.js - builds the console into web/dist, which `ecoact serve` serves with a strict
// CSP (no inline scripts, no eval, same-origin only): plain module scripts, hashed files under
// /assets/ (cached for a year by the server), no CDN.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
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
      output: {
        // Libraries change less often than the console: separate chunks keep their cache.
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  // `npm run dev` against a local `ecoact serve` on :8080.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
