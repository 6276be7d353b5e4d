/**
 * Runs fuzz cases in worker processes (fuzzWorker.mjs, on the built dist/), two at a time, each
 * with a time bound on the CPU time it may use: a case over it is slow; a worker that has not
 * answered within a wall-clock limit (4× the bound, at least 60 s: a busy machine stretches wall
 * time) is a hang, and one that dies is a crash; either is ended and replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** One generated scenario file. */
export interface FuzzCase {
  /** The generator that made it (alias-bomb, huge-count, text-mutation, …). */
  readonly kind: string;
  readonly text: string;
}

/** What became of a case. */
export interface FuzzOutcome {
  readonly kind: string;
  /** runs: loaded and simulated; refused: a ScenarioError; crash: any other exception; hang: no answer in the wall-clock limit. */
  readonly outcome: 'runs' | 'refused' | 'crash' | 'hang';
  readonly ms: number;
  /** CPU time the worker spent on the case (the wall-clock limit for hangs and crashes). */
  readonly cpuMs: number;
  /** Every problem had a line and a column ≥ 1 and the message starts with file:line:col. */
  readonly located: boolean;
  readonly message: string;
  readonly text: string;
}

interface Answer {
  readonly id: number;
  readonly outcome: 'runs' | 'refused' | 'crash';
  readonly ms: number;
  readonly cpuMs: number;
  readonly problems?: readonly { file: string; line: number; col: number }[];
  readonly message?: string;
}

const WORKER = new URL('./fuzzWorker.mjs', import.meta.url);

function startWorker(): ChildProcess {
  return fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
}

/** The file name the cases are loaded as; every refusal must point into it. */
export const FUZZ_FILE = 'fuzz.yaml';

/** Runs `cases` with `parallel` workers; a case unanswered after max(60 s, 4 × boundMs) is a hang; outcomes in case order. */
export async function runFuzzCases(cases: readonly FuzzCase[], boundMs: number, parallel = 2): Promise<FuzzOutcome[]> {
  const wallLimitMs = Math.max(60_000, 4 * boundMs);
  const outcomes: FuzzOutcome[] = new Array<FuzzOutcome>(cases.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker = startWorker();
    try {
      while (next < cases.length) {
        const id = next++;
        const c = cases[id]!;
        let stderr = '';
        const collect = (chunk: Buffer): void => {
          stderr += chunk.toString('utf8');
        };
        worker.stderr?.on('data', collect);
        const answer = await new Promise<Answer | 'hang' | 'died'>((done) => {
          const timer = setTimeout(() => done('hang'), wallLimitMs);
          const onMessage = (a: Answer): void => {
            clearTimeout(timer);
            worker.off('exit', onExit);
            done(a);
          };
          const onExit = (): void => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            done('died');
          };
          worker.once('message', onMessage);
          worker.once('exit', onExit);
          worker.send({ id, file: FUZZ_FILE, text: c.text });
        });
        worker.stderr?.off('data', collect);
        if (answer === 'hang' || answer === 'died') {
          worker.kill('SIGKILL');
          worker = startWorker();
          const message = answer === 'hang' ? `no answer in ${wallLimitMs} ms` : `the worker died: ${stderr.slice(0, 2000)}`;
          outcomes[id] = { kind: c.kind, outcome: answer === 'hang' ? 'hang' : 'crash', ms: wallLimitMs, cpuMs: wallLimitMs, located: false, message, text: c.text };
          continue;
        }
        const message = answer.message ?? '';
        const located =
          answer.outcome !== 'refused' ||
          ((answer.problems ?? []).length > 0 &&
            (answer.problems ?? []).every((p) => p.line >= 1 && p.col >= 1 && p.file === FUZZ_FILE) &&
            message.startsWith(`${FUZZ_FILE}:`) &&
            /^fuzz\.yaml:\d+:\d+: /.test(message));
        outcomes[id] = { kind: c.kind, outcome: answer.outcome, ms: answer.ms, cpuMs: answer.cpuMs, located, message, text: c.text };
      }
    } finally {
      worker.kill();
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return outcomes;
}
