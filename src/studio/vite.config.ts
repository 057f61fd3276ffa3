// Builds the studio into dist/studio: plain files the server serves, no CDN, no inline script.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/studio'),
    emptyOutDir: true,
    // The preload polyfill would be inlined into index.html; the CSP forbids inline script.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
  logLevel: 'warn',
});
