/**
 * Preloaded into a benchmarked Node process (`node --import …/rssAtExit.js`): at exit it writes
 * the process's peak RSS in bytes to the file named by TCPSIM_BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['TCPSIM_BENCH_RSS_FILE'];
if (file !== undefined) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
