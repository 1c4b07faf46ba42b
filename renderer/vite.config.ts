import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is plain static files: Electron loads them from a custom scheme and serve mode from 127.0.0.1, so
// every URL is relative (base './') and nothing comes from a CDN (Monaco and its workers are bundled here).
// Paths come from import.meta.url rather than node:path, because the renderer layer's lint forbids Node imports.
function dirOf(relative: string): string {
  const path = decodeURIComponent(new URL(relative, import.meta.url).pathname);
  return /^\/[A-Za-z]:/.test(path) ? path.slice(1) : path;
}

export default defineConfig({
  root: dirOf('.'),
  base: './',
  plugins: [react()],
  build: {
    outDir: dirOf('../dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
