// A fuzz worker process (forked by fuzzPool.ts): loads each case as `tcpsim run` would (the built
// loader, the CLI's default limits) and, when it loads, simulates it and renders both reports.
// Answers one message per case: { id, outcome: 'runs' | 'refused' | 'crash', ms, problems?, message? }.
// A process, not a thread: a fatal error or a hang ends only this process, which the pool replaces.
import { loadScenarioText, ScenarioError, formatScenarioError } from '../../dist/scenario/index.js';
import { simulate } from '../../dist/sim/simulate.js';
import { runText } from '../../dist/report/runText.js';
import { runJson } from '../../dist/report/runJson.js';
import { PLAIN } from '../../dist/report/runText.js';

const send = (answer) => process.send?.(answer);

process.on('message', ({ id, file, text }) => {
  const started = performance.now();
  try {
    const scenario = loadScenarioText(text, file);
    const result = simulate(scenario);
    // the reports are part of the run: they must not throw either
    runText(result, scenario, { paint: PLAIN, quiet: false });
    runJson(result);
    send({ id, outcome: 'runs', ms: performance.now() - started });
  } catch (err) {
    const ms = performance.now() - started;
    if (err instanceof ScenarioError) {
      const message = formatScenarioError(err, { color: false });
      const problems = err.problems.map((p) => ({ file: p.file, line: p.line, col: p.col }));
      send({ id, outcome: 'refused', ms, problems, message });
    } else {
      send({ id, outcome: 'crash', ms, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
});
