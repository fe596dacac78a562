// Lint, including the layer rules that keep the architecture honest (as VS Code enforces its layers):
//   shared/   imports no Node, no Electron, no DOM-only code, nothing outside shared/
//   renderer/ imports only shared/ (and browser packages), never Node, Electron or the core
//   electron/core and electron/cli import no `electron`: they run in plain Node
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const CORE_RULE = { group: ['electron', 'electron/*', '**/main/**', '**/preload/**', '**/renderer/**'], message: 'The core and the CLI run in plain Node: no Electron, no app layers.' };
const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message: 'Not allowed in this layer (see docs/ARCHITECTURE.md).' })), patterns }],
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      ...restrict(
        [
          { group: ['**/electron/**', '**/renderer/**', 'electron', 'electron/*', 'react', 'react-dom', 'react/*'], message: 'shared/ must stay free of Node, Electron, DOM and app layers.' },
          // nodemailer is Node, except its address parser: pure JavaScript with no imports, shared so the composer and main check addresses alike.
          { regex: '^nodemailer(?!/lib/addressparser$)(/.*)?$', message: 'shared/ must stay free of Node: of nodemailer only nodemailer/lib/addressparser.' },
        ],
        nodeBuiltins,
      ),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require'],
    },
  },
  // The rules of hooks and complete effect dependencies, plus the React Compiler's checks.
  { files: ['renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict([{ group: ['**/electron/**', 'electron', 'electron/*', 'nodemailer', 'nodemailer/*', 'keytar', '@napi-rs/keyring', 'openid-client'], message: 'The renderer may import only shared/ and browser packages.' }], nodeBuiltins),
  },
  // No module may reach itself through its imports: a cycle is two modules that are one.
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts', 'electron/web/**/*.ts'],
    rules: restrict([CORE_RULE]),
  },
  // Files and the database are the core's floor: they know nothing of mail, accounts or the outbox.
  // (It repeats the core's rule: a later block's no-restricted-imports replaces an earlier one's.)
  {
    files: ['electron/core/fs/**/*.ts', 'electron/core/db/**/*.ts'],
    rules: restrict([
      CORE_RULE,
      { regex: '^\\.\\./(?!errors$|fs/|db/|\\.\\./\\.\\./shared/i18n/errors/phrase$)', message: 'core/fs and core/db import no domain code: only each other, ../errors and the catalogue phrase.' },
    ]),
  },
);
