import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

const alias = { '@shared': resolve(__dirname, 'src/shared') };

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'import.worker': resolve(__dirname, 'src/main/workers/import.worker.ts'),
          'analysis.worker': resolve(__dirname, 'src/main/workers/analysis.worker.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          serve: resolve(__dirname, 'src/main/serve.ts'),
          'bench-entry': resolve(__dirname, 'src/main/bench-entry.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    publicDir: resolve(__dirname, 'resources'),
    resolve: { alias },
    worker: { format: 'es' },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      // plotly.js (cartesian bundle, ~1.5 MB) is one chunk by design: the app is offline and loads it locally.
      chunkSizeWarningLimit: 2500,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
