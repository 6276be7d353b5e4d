// A fuzz worker process (forked by fuzzPool.ts): loads each case as `tcpsim run` would (the built
// loader, the CLI's default limits) and, when it loads, simulates it and renders both reports.
// Answers one message per case: { id, outcome: 'runs' | 'refused' | 'crash', ms, cpuMs, problems?, message? };
// cpuMs is this process's CPU time for the case, which a busy machine does not inflate as it does ms.
// A process, not a thread: a fatal error or a hang ends only this process, which the pool replaces.
import { loadScenarioText, ScenarioError, formatScenarioError } from '../../dist/scenario/index.js';
import { simulate } from '../../dist/sim/simulate.js';
import { runText } from '../../dist/report/runText.js';
import { runJson } from '../../dist/report/runJson.js';
import { PLAIN } from '../../dist/report/runText.js';

const send = (answer) => process.send?.(answer);

process.on('message', ({ id, file, text }) => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000;
  };
  try {
    const scenario = loadScenarioText(text, file);
    const result = simulate(scenario);
    // the reports are part of the run: they must not throw either
    runText(result, scenario, { paint: PLAIN, quiet: false });
    runJson(result);
    send({ id, outcome: 'runs', ms: performance.now() - started, cpuMs: cpuMs() });
  } catch (err) {
    const ms = performance.now() - started;
    if (err instanceof ScenarioError) {
      const message = formatScenarioError(err, { color: false });
      const problems = err.problems.map((p) => ({ file: p.file, line: p.line, col: p.col }));
      send({ id, outcome: 'refused', ms, cpuMs: cpuMs(), problems, message });
    } else {
      send({ id, outcome: 'crash', ms, cpuMs: cpuMs(), message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
});
