/**
 * A watch as `tcpsim watch --html` has it at the end, without a live process: the samples of a
 * server that leaks CLOSE_WAIT until its fds reach its limit of 20 (EMFILE at 0:03), and the
 * closing text report. For the page's unit test and its test in Chromium; and how to read a
 * page's numbers back.
 */
import type { ReportData } from '../../src/report/html/reportData.js';
import type { SampleJson } from '../../src/watch/watchJson.js';
import type { WatchPageFacts } from '../../src/watch/watchHtml.js';

const LABEL = 'node[4242]';

function sample(t: number, closeWait: number, fds: number): SampleJson {
  return {
    t,
    states: { LISTEN: 1, CLOSE_WAIT: closeWait, FIN_WAIT_2: closeWait },
    fds: { [LABEL]: fds },
    closedFds: { [LABEL]: 0 },
    byProcess: { [LABEL]: { LISTEN: 1, CLOSE_WAIT: closeWait } },
    nofile: { [LABEL]: 20 },
  };
}

/** Five samples a second apart: CLOSE_WAIT 0, 4, 8, 12, 16; fds 4 to 20 of 20. */
export const LEAKING_WATCH: WatchPageFacts = {
  what: `${LABEL} (node server.mjs leaky 8080)`,
  everyMs: 1000,
  forMs: 4000,
  startedAt: new Date('2026-01-02T03:04:05.000Z'),
  samples: [0, 1, 2, 3, 4].map((i) => sample(i * 1000, i * 4, Math.min(20, 4 + i * 4 + (i >= 3 ? 4 : 0)))),
  report: [
    'Summary',
    '  watched           node[4242] for 0:04, 5 samples',
    '  peak CLOSE_WAIT   16',
    '',
    'Diagnosis',
    '  • node[4242] does not close connections its peers have closed: 16 sockets sit in CLOSE_WAIT.',
    '  • node[4242] reached its limit of 20 fds (EMFILE) at 0:03.',
    '',
    'Not seen',
    '  • the fds of processes of other users',
  ],
};

/** The numbers a page's script draws (its `tcpsim-data` element). */
export function pageData(html: string): ReportData {
  const match = /<script type="application\/json" id="tcpsim-data">(.*?)<\/script>/s.exec(html);
  if (match === null) throw new Error('no tcpsim-data in the page');
  return JSON.parse(match[1]!) as ReportData;
}
