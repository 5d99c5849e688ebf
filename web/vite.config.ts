import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `vite build web` (scripts/build.js): root is this folder, output web/dist. Assets live under /assets/, shared by the
// three portals (/devportal, /publisher, /admin), which the control plane serves from one index.html.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // No inline <script>/<style>: the Content-Security-Policy allows 'self' only.
    assetsInlineLimit: 0,
  },
});
