/**
 * Every TypeScript block of every README (the root's and each package's) is typechecked here with
 * the repository's compiler settings, and run when its section says "(runnable)", so no snippet
 * can rot. A block may need names it does not define (a `seam` gateway, a container): an HTML
 * comment `<!-- prelude: … -->` right above the fence declares them, invisible on the page; such a
 * block is typechecked only.
 *
 * The snippets are written to a scratch directory inside this package, so their imports resolve
 * like the package's own sources (workspace packages through their TypeScript sources).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const scratch = join(import.meta.dirname, '..', 'node_modules', '.readme-snippets');

interface Snippet {
  readonly readme: string;
  readonly line: number;
  readonly code: string;
  readonly prelude: string;
  readonly runnable: boolean;
  readonly file: string;
}

/** The ```ts blocks of a markdown file, with their prelude and whether their section is runnable. */
export function extractSnippets(readme: string, markdown: string): Omit<Snippet, 'file'>[] {
  const out: Omit<Snippet, 'file'>[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^#{1,6} /.test(line)) heading = line;
    if (line.trim() !== '```ts') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]?.trim() !== '```'; i++) body.push(lines[i] ?? '');
    let before = start - 1;
    while (before >= 0 && lines[before]?.trim() === '') before--;
    let prelude = '';
    if (lines[before]?.trim().endsWith('-->')) {
      let open = before;
      while (open >= 0 && !lines[open]?.includes('<!--')) open--;
      const comment = lines.slice(open, before + 1).join('\n');
      const m = /<!--\s*prelude:\s*([\s\S]*?)-->/.exec(comment);
      if (m) prelude = m[1] ?? '';
    }
    out.push({
      readme,
      line: start + 1,
      code: body.join('\n'),
      prelude,
      runnable: /\(runnable/.test(heading) && prelude === '',
    });
  }
  return out;
}

const readmes = [
  'README.md',
  ...readdirSync(join(repo, 'packages')).map((p) => `packages/${p}/README.md`),
].filter((f) => {
  try {
    readFileSync(join(repo, f));
    return true;
  } catch {
    return false;
  }
});

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const snippets: Snippet[] = readmes.flatMap((readme) =>
  extractSnippets(readme, readFileSync(join(repo, readme), 'utf8')).map((s) => {
    const file = join(scratch, `${readme.replace(/[/.]/g, '_')}_L${s.line}.ts`);
    writeFileSync(file, `${s.prelude}\n${s.code}\nexport {};\n`);
    return { ...s, file };
  }),
);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('README snippets', () => {
  it('finds the TypeScript blocks of every README', () => {
    expect(readmes).toEqual(expect.arrayContaining(['README.md', 'packages/core/README.md']));
    expect(snippets.length).toBeGreaterThanOrEqual(10);
  });

  it('every snippet typechecks with the repository settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(import.meta.dirname, '..', 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) throw new Error('no tsconfig');
    const program = ts.createProgram(
      snippets.map((s) => s.file),
      { ...config.options, noEmit: true, rootDir: undefined, outDir: undefined },
    );
    const problems = snippets.flatMap((s) => {
      const source = program.getSourceFile(s.file);
      const diagnostics = source
        ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        : [];
      const preludeLines = s.prelude.split('\n').length;
      return diagnostics.map((d) => {
        const at = d.start !== undefined && source ? source.getLineAndCharacterOfPosition(d.start).line : 0;
        const line = s.line + (at - preludeLines) + 1;
        return `${s.readme}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    });
    expect(problems).toEqual([]);
  }, 300_000);

  const runnable = snippets.filter((s) => s.runnable);
  it.each(runnable.map((s) => [`${s.readme}:${s.line}`, s] as const))(
    'runnable snippet %s runs',
    async (_, s) => {
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
      try {
        await import(/* @vite-ignore */ s.file);
      } finally {
        log.mockRestore();
      }
      // A runnable snippet shows what it does.
      expect(lines.length + (s.code.includes('export') ? 1 : 0)).toBeGreaterThan(0);
    },
    60_000,
  );
});
