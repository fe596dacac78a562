import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { normalizePath, type Plugin } from 'vite';
import { CSP } from './electron/core/csp';
import { EVENT_NAMES, WINDOW_CHANNELS } from './shared/ipc/contract';

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

/**
 * The preload needs only the contract's names, not its schemas: in its build the contract is its
 * channel and event names as plain strings (taken from the contract itself, here) and wireName.
 * Bundled whole, zod came along: 183 KB, ~17 ms to compile and run in every window before the page.
 * An import of anything else from the contract fails the build, as a missing export.
 */
const contractNamesOnly = (): Plugin => {
  const contract = normalizePath(resolve(import.meta.dirname, 'shared/ipc/contract.ts'));
  return {
    name: 'mailwright-contract-names-only',
    load: (id) =>
      id === contract
        ? `export const WINDOW_CHANNELS = ${JSON.stringify(WINDOW_CHANNELS)};\nexport const EVENT_NAMES = ${JSON.stringify(EVENT_NAMES)};\nexport { wireName } from './wire';\n`
        : undefined,
  };
};

export default defineConfig({
  main: {
    plugins: [buildStamp()],
    build: {
      // The keyring bindings are native modules: loaded from node_modules at run time, never bundled.
      externalizeDeps: true,
      // cli: the `mailwright` command, bundled beside the app so that bin/mailwright.mjs can start it
      // without compiling TypeScript (see there); the core they share becomes a common chunk.
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'electron/main/index.ts'), cli: resolve(import.meta.dirname, 'electron/cli/main.ts') } },
    },
  },
  preload: {
    plugins: [contractNamesOnly()],
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
