import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The page loads every byte it imports before the composer accepts a key (bench/composer.ts).
// The contract's schemas (zod) are main's business: the page needs only their types. A value
// import of them anywhere the page reaches — directly or through a shared module — would put the
// schema library back into the bundle. This walks the page's import graph as the bundler does
// (`import type` is erased) and names the chain that reaches a package that must stay out.
const ENTRY = resolve('renderer/src/main.tsx');
const KEPT_OUT = ['zod'];

/** Value imports and re-exports of one file (those the bundler keeps). */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      // Only `import type` is erased: with verbatimModuleSyntax, `import { type A } from 'x'` still
      // loads x (it becomes `import {} from 'x'`).
      if (!node.importClause?.isTypeOnly) found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) found.push((node.moduleSpecifier as ts.StringLiteral).text);
  }
  // import('…') for lazily loaded views: those chunks load too.
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) found.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((p) => existsSync(p) && !p.endsWith('/') && /\.tsx?$/.test(p));
}

/** Every package the page's bundle pulls in, each with the chain of files that first reaches it. */
function packagesReached(entry = ENTRY): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Set<string>([entry]);
  const queue: Array<{ file: string; chain: string[] }> = [{ file: entry, chain: [relative('.', entry)] }];
  while (queue.length) {
    const { file, chain } = queue.shift()!;
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.')) {
        const target = resolveLocal(file, specifier);
        if (!target || seen.has(target)) continue;
        seen.add(target);
        queue.push({ file: target, chain: [...chain, relative('.', target)] });
      } else {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, chain);
      }
    }
  }
  return packages;
}

describe('the page bundle', () => {
  const reached = packagesReached();

  it('walks the real graph (the editor and React are reached)', () => {
    expect(reached.has('react')).toBe(true);
    expect(reached.has('@tiptap/react')).toBe(true);
  });

  it.each(KEPT_OUT)('does not import %s', (name) => {
    expect(reached.get(name), `reached through ${reached.get(name)?.join(' → ')}`).toBeUndefined();
  });

  it('the walker finds a package reached only through other files', () => {
    // main's settings store reaches zod through shared/model/settings-schema.ts, not by itself.
    const store = resolve('electron/core/settings/settings-store.ts');
    expect(valueImports(store)).not.toContain('zod');
    expect(packagesReached(store).get('zod')).toEqual([relative('.', store), 'shared/model/settings-schema.ts']);
  });
});
