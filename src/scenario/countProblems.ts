/**
 * The counts checked first, on the parsed document before anything else reads it: processes,
 * hosts, parameters and steps per program. A file with 50,000 processes or 200,000 steps is
 * refused here, at the key that holds them, before validation or resolution spend time on it.
 */
import { isPlainMap } from './describeValue.js';
import type { LimitAdvice, Limits } from './limits.js';
import type { ScenarioProblem } from './scenarioError.js';
import type { DocPath, SourceIndex } from './sourceDocument.js';

const big = (n: number): string => n.toLocaleString('en-US');

/** Problems for counts above their limits in the plain document `root`. */
export function countProblems(root: Readonly<Record<string, unknown>>, index: SourceIndex, limits: Limits, advice: LimitAdvice): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const check = (path: DocPath, count: number, limit: 'maxProcesses' | 'maxHosts' | 'maxParams' | 'maxSteps', what: string): void => {
    if (count <= limits[limit]) return;
    problems.push(index.problem(path, `at most ${big(limits[limit])} ${what} (limit ${limit})`, big(count), advice(limit, count), 'key'));
  };
  const processes = root['processes'];
  if (isPlainMap(processes)) {
    const names = Object.keys(processes);
    check(['processes'], names.length, 'maxProcesses', 'processes');
    for (const name of names) {
      const process = processes[name];
      if (!isPlainMap(process)) continue;
      for (const key of ['steps', 'onConnection']) {
        const steps = process[key];
        if (Array.isArray(steps)) check(['processes', name, key], steps.length, 'maxSteps', 'steps');
      }
    }
  }
  const hosts = root['hosts'];
  if (Array.isArray(hosts)) check(['hosts'], hosts.length, 'maxHosts', 'hosts');
  const params = root['params'];
  if (isPlainMap(params)) check(['params'], Object.keys(params).length, 'maxParams', 'parameters');
  return problems;
}
