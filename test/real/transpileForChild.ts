/**
 * Node 20 cannot run TypeScript, so a test that needs real mode in a child process (to SIGINT it)
 * transpiles the few modules involved into a temporary directory, keeping their relative paths.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');

/** Transpiles src/real, src/model/states.ts and sysctlProfile.ts and `entry` (repo-relative) into a temp dir; returns the entry's .js path and a remover. */
export function transpileForChild(entry: string): { readonly script: string; readonly remove: () => void } {
  const out = mkdtempSync(join(tmpdir(), 'tcpsim-child-'));
  const sources = [
    ...readdirSync(join(ROOT, 'src/real')).filter((f) => f.endsWith('.ts')).map((f) => `src/real/${f}`),
    'src/model/states.ts',
    'src/model/sysctlProfile.ts',
    entry,
  ];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(join(ROOT, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: source,
    });
    const target = join(out, source.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  return {
    script: join(out, entry.replace(/\.ts$/, '.js')),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}

