/**
 * What real mode refuses in a scenario's `command:` entries before it touches the kernel: a
 * working directory that is not there, a program it cannot find (argv[0] on PATH, or a path
 * relative to cwd), and a time scale other than 1 (a program keeps its own clock: its sleeps
 * cannot be scaled). Each problem says how to build the program when the scenario says so.
 * Reads the file system, nothing more.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { CommandSpec, Scenario } from '../scenario/types.js';
import type { RealProblem } from './realProblem.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `program` would be run from (execvp's rules: a name with a / is a path from cwd, else PATH), or null. */
export function findProgram(program: string, cwd: string, pathVariable: string | undefined): string | null {
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    return isExecutableFile(path) ? path : null;
  }
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(isAbsolute(dir) ? dir : resolve(cwd, dir), program);
    if (isExecutableFile(path)) return path;
  }
  return null;
}

function buildHint(command: CommandSpec): { hint?: string } {
  return command.build === null ? {} : { hint: command.build };
}

/** The problems of every command in `scenario` (none when there are no commands). */
export function commandProblems(scenario: Scenario, timeScale: number): RealProblem[] {
  const problems: RealProblem[] = [];
  for (const p of scenario.processes) {
    const command = p.command;
    if (command === undefined) continue;
    const path = ['processes', p.name, 'command'];
    if (timeScale !== 1) {
      problems.push({
        path,
        atKey: true,
        expected: 'a time scale of 1 (a command keeps its own clock: its sleeps cannot be scaled)',
        found: `--time-scale ${timeScale}`,
        hint: 'use --until to shorten the run, or --builtin to run the built-in programs instead',
      });
    }
    if (!isDirectory(command.cwd)) {
      problems.push({ path: [...path, 'cwd'], expected: 'a directory that exists', found: `${command.cwd}, which does not`, ...buildHint(command) });
      continue;
    }
    const program = command.argv[0];
    const found = findProgram(program, command.cwd, command.env['PATH'] ?? process.env['PATH']);
    if (found === null) {
      const where = program.includes('/') ? `${resolve(command.cwd, program)}, which is not an executable file` : `${program}, which is not on PATH`;
      problems.push({ path: [...path, 'argv', 0], expected: 'a program real mode can run', found: where, ...buildHint(command) });
    }
  }
  return problems;
}
