import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CSP } from './electron/core/csp';

/** The built page carries the app's CSP in a meta tag too (the one definition in electron/core/csp.ts). */
const cspMeta = (): Plugin => ({
  name: 'mailwright-csp-meta',
  apply: 'build',
  // frame-ancestors only works as a header (browsers ignore it in a meta tag, with a warning).
  transformIndexHtml: (html) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP.replace(/; frame-ancestors [^;]+/, '')}" />`),
});

/**
 * out/main/build-started: when this build of main (and of the CLI in it) began. bin/cli-source.mjs
 * runs the built CLI only if no source changed since then: a file saved while the build ran is
 * newer than this, though older than the files the build wrote.
 */
const buildStamp = (): Plugin => {
  let started = 0;
  return {
    name: 'mailwright-build-stamp',
    apply: 'build',
    buildStart: () => void (started = Date.now()),
    writeBundle: (options) => writeFileSync(resolve(options.dir!, 'build-started'), `${started}\n`),
  };
};

export default defineConfig({
  main: {
    plugins: [buildStamp()],
    build: {
      // keytar is a native module: load it from node_modules at run time, never bundle it.
      externalizeDeps: true,
      // cli: the `mailwright` command, bundled beside the app so that bin/mailwright.mjs can start it
      // without compiling TypeScript (see there); the core they share becomes a common chunk.
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'electron/main/index.ts'), cli: resolve(import.meta.dirname, 'electron/cli/main.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot `require` npm packages: bundle everything it uses (shared/ only) into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react(), cspMeta()],
    build: {
      // The page is what the user waits for: minified, it is about half the bytes to parse and compile.
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
