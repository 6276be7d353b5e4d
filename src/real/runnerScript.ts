/**
 * Where the program-runner child's JavaScript is: next to this module in a build (dist/real/),
 * or, when tcpsim runs from its TypeScript sources (the test suite), a copy transpiled on the fly
 * into a temporary directory that the run's cleanup removes. The runner imports only Node
 * built-ins, so the one file is enough.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CleanupRegistry } from './cleanup.js';

/** The path of a runnable programRunner.js for this installation. */
export async function runnerScript(registry: CleanupRegistry): Promise<string> {
  const built = fileURLToPath(new URL('./programRunner.js', import.meta.url));
  if (existsSync(built)) return built;
  const source = fileURLToPath(new URL('./programRunner.ts', import.meta.url));
  if (!existsSync(source)) throw new Error(`program runner not found next to ${built}`);
  const ts = (await import('typescript')).default;
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: source,
  });
  const dir = mkdtempSync(join(tmpdir(), 'tcpsim-runner-'));
  registry.add(`runner copy ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const script = join(dir, 'programRunner.js');
  writeFileSync(script, outputText);
  return script;
}
