/**
 * From a validated author document to the resolved `Scenario`: defaults applied, durations in
 * microseconds, names cross-checked, and the guard-rail limits enforced.
 */
import { basename, dirname, extname, resolve as resolvePath } from 'node:path';
import type {
  AcceptErrorAction,
  Bound,
  KeepaliveSpec,
  ClientSpec,
  CommandSpec,
  Expectation,
  FaultSpec,
  HostSpec,
  Micros,
  NetworkSpec,
  ParamSpec,
  ProcessSpec,
  ProfileName,
  ProfileOverrides,
  ReadAmount,
  Scenario,
  ServerSpec,
  Step,
} from './types.js';
import type { TcpState } from '../model/states.js';
import type { Errno } from '../model/errno.js';
import type { BoundDocument, CommandDocument, DurationDocument, ProbabilityDocument, ProcessDocument, ScenarioDocument, StepDocument } from './schema.js';
import type { DocPath, SourceIndex } from './sourceDocument.js';
import type { ScenarioProblem } from './scenarioError.js';
import type { LimitAdvice, Limits } from './limits.js';
import type { FlagOrigins } from './commandLineOverrides.js';
import { flagProblem } from './commandLineOverrides.js';
import { formatDuration, tryParseDuration } from './duration.js';
import { formatPath } from './sourceDocument.js';
import { namesList } from './namesList.js';
import { didYouMean } from './suggest.js';
import { DURATION_PHRASE } from './schema.js';
import { RUNTIMES, type RuntimeDefaults } from './runtimes.js';
import { overridesFromSysctls, sysctlRow } from '../model/sysctlProfile.js';

/** The defaults an author may leave out (documented in docs/scenario-format.md). */
export const DEFAULTS = {
  seed: 1,
  profile: 'linux' as ProfileName,
  latency: 50,
  host: { name: 'localhost', address: '127.0.0.1' } as HostSpec,
  nofile: 1024,
  baselineFds: 3,
  backlog: 128,
  acceptRetry: 1_000_000,
  connections: 1,
  sampleEvery: 5_000_000,
  sampleUntil: 300_000_000,
} as const;

/** Inputs to resolution besides the document itself. */
export interface ResolveContext {
  readonly index: SourceIndex;
  readonly file: string;
  readonly params: readonly ParamSpec[];
  readonly paramValues: Readonly<Record<string, number>>;
  readonly limits: Limits;
  /** How a refusal says to raise a limit. */
  readonly advice: LimitAdvice;
  /** Values that came from command-line flags, by path: their problems name the flag. */
  readonly flags?: FlagOrigins;
}

const big = (n: number): string => n.toLocaleString('en-US');

/** Resolves a validated document; returns the scenario or the problems that prevent it. */
export function resolveScenario(doc: ScenarioDocument, ctx: ResolveContext): { scenario?: Scenario; problems: ScenarioProblem[] } {
  const r = new Resolver(ctx);
  const scenario = r.run(doc);
  return r.problems.length > 0 ? { problems: r.problems } : { scenario, problems: [] };
}

class Resolver {
  readonly problems: ScenarioProblem[] = [];
  private readonly index: SourceIndex;

  constructor(private readonly ctx: ResolveContext) {
    this.index = ctx.index;
  }

  private fail(path: DocPath, expected: string, found: string, hint?: string, prefer: 'key' | 'value' = 'value'): void {
    const at = formatPath(path);
    const flag = this.ctx.flags?.get(at);
    this.problems.push(flag === undefined ? this.index.problem(path, expected, found, hint, prefer) : flagProblem(flag.flag, flag.text, at, expected, found, hint));
  }

  private limitHint(option: keyof Limits, needed: number): string | undefined {
    return this.ctx.advice(option, needed);
  }

  private duration(value: DurationDocument | undefined, path: DocPath, fallback: Micros): Micros {
    if (value === undefined) return fallback;
    const d = tryParseDuration(value);
    if (d.ok) return d.micros;
    this.fail(path, DURATION_PHRASE, `${JSON.stringify(value)} (${d.reason})`, d.hint);
    return fallback;
  }

  private probability(value: ProbabilityDocument | undefined, path: DocPath): number {
    if (value === undefined) return 0;
    if (typeof value === 'number') return value;
    const pct = Number(value.slice(0, -1));
    if (pct > 100) {
      this.fail(path, 'a percentage from 0% to 100%', JSON.stringify(value));
      return 0;
    }
    return pct / 100;
  }

  run(doc: ScenarioDocument): Scenario {
    const { profile, profileOverrides } = this.profile(doc);
    const hosts = this.hosts(doc);
    const problemsBefore = this.problems.length;
    const sample = this.sample(doc);
    // the product only when the samples themselves are acceptable: one complaint, not a cascade
    const sampleAccepted = this.problems.length === problemsBefore;
    const processes = this.processes(doc, hosts);
    if (sampleAccepted) this.processSamples(sample, processes.length);
    this.connectTargets(doc, processes);
    const expectations = this.expectations(doc, processes, sample);
    const faults = this.faults(doc, sample.until);
    const sysctls = this.sysctls(doc, profileOverrides);
    const network: NetworkSpec = {
      latency: this.duration(doc.network?.latency, ['network', 'latency'], DEFAULTS.latency),
      jitter: this.duration(doc.network?.jitter, ['network', 'jitter'], 0),
      loss: this.probability(doc.network?.loss, ['network', 'loss']),
      duplicate: this.probability(doc.network?.duplicate, ['network', 'duplicate']),
      reorder: this.probability(doc.network?.reorder, ['network', 'reorder']),
    };
    const stem = basename(this.ctx.file, extname(this.ctx.file));
    return {
      name: doc.name ?? stem,
      description: doc.description ?? '',
      file: this.ctx.file,
      seed: doc.seed ?? DEFAULTS.seed,
      profile,
      profileOverrides,
      params: this.ctx.params,
      paramValues: this.ctx.paramValues,
      network,
      hosts,
      processes,
      sample,
      expectations,
      sysctls,
      faults,
    };
  }

  private profile(doc: ScenarioDocument): { profile: ProfileName; profileOverrides: ProfileOverrides } {
    const p = doc.profile;
    if (p === undefined) return { profile: DEFAULTS.profile, profileOverrides: {} };
    if (typeof p === 'string') return { profile: p, profileOverrides: {} };
    const d = (key: 'timeWait' | 'synRto' | 'rto' | 'rtoMax'): { [k: string]: Micros } => {
      const v = p[key];
      return v === undefined ? {} : { [key]: this.duration(v, ['profile', key], 0) };
    };
    const overrides: ProfileOverrides = {
      ...d('timeWait'),
      ...(p.finTimeout === undefined ? {} : { finTimeout: p.finTimeout === 'never' ? null : this.duration(p.finTimeout, ['profile', 'finTimeout'], 0) }),
      ...(p.synRetries === undefined ? {} : { synRetries: p.synRetries }),
      ...(p.synAckRetries === undefined ? {} : { synAckRetries: p.synAckRetries }),
      ...(p.finRetries === undefined ? {} : { finRetries: p.finRetries }),
      ...d('synRto'),
      ...d('rto'),
      ...d('rtoMax'),
      ...(p.rstOnUnreadClose === undefined ? {} : { rstOnUnreadClose: p.rstOnUnreadClose }),
      ...(p.rstEndsTimeWait === undefined ? {} : { rstEndsTimeWait: p.rstEndsTimeWait }),
      ...(p.synReopensTimeWait === undefined ? {} : { synReopensTimeWait: p.synReopensTimeWait }),
      ...(p.synRetryAfterBadAck === undefined ? {} : { synRetryAfterBadAck: p.synRetryAfterBadAck }),
      ...(p.tailLossProbe === undefined ? {} : { tailLossProbe: p.tailLossProbe }),
      ...(p.synLinearTimeouts === undefined ? {} : { synLinearTimeouts: p.synLinearTimeouts }),
      ...(p.rcvBuf === undefined ? {} : { rcvBuf: p.rcvBuf }),
      ...(p.delAck === undefined ? {} : { delAck: p.delAck === 'never' ? null : this.duration(p.delAck, ['profile', 'delAck'], 0) }),
      ...(p.hz === undefined ? {} : { hz: p.hz === 'exact' ? null : p.hz }),
      ...(p.keepaliveTime === undefined ? {} : { keepaliveTime: this.duration(p.keepaliveTime, ['profile', 'keepaliveTime'], 0) }),
      ...(p.keepaliveIntvl === undefined ? {} : { keepaliveIntvl: this.duration(p.keepaliveIntvl, ['profile', 'keepaliveIntvl'], 0) }),
      ...(p.keepaliveProbes === undefined ? {} : { keepaliveProbes: p.keepaliveProbes }),
      ...(p.somaxconn === undefined ? {} : { somaxconn: p.somaxconn }),
      ...(p.syncookies === undefined ? {} : { syncookies: p.syncookies }),
      ...(p.rxCost === undefined ? {} : { rxCost: this.duration(p.rxCost, ['profile', 'rxCost'], 0) }),
      ...(p.wakeLatency === undefined ? {} : { wakeLatency: this.duration(p.wakeLatency, ['profile', 'wakeLatency'], 0) }),
    };
    for (const key of ['synRto', 'rto', 'rtoMax', 'keepaliveTime', 'keepaliveIntvl'] as const) {
      if (overrides[key] === 0) {
        const what = key.startsWith('keepalive') ? 'keepalive timer would probe' : 'retransmission timeout would retransmit';
        this.fail(['profile', key], 'a timeout longer than 0', '0', `a zero ${what} forever at one instant`);
      }
    }
    if (overrides.rto !== undefined && overrides.rtoMax !== undefined && overrides.rto > overrides.rtoMax) {
      this.fail(['profile', 'rtoMax'], `at least rto (${formatDuration(overrides.rto)})`, formatDuration(overrides.rtoMax));
    }
    return { profile: p.name ?? DEFAULTS.profile, profileOverrides: overrides };
  }

  private hosts(doc: ScenarioDocument): HostSpec[] {
    if (doc.hosts === undefined) return [DEFAULTS.host];
    if (doc.hosts.length === 0) {
      this.fail(['hosts'], 'at least one host', 'an empty list', 'leave hosts out for the default localhost 127.0.0.1');
      return [DEFAULTS.host];
    }
    const names = new Map<string, number>();
    const addresses = new Map<string, number>();
    doc.hosts.forEach((h, i) => {
      const prevName = names.get(h.name);
      if (prevName !== undefined) this.fail(['hosts', i, 'name'], 'a host name not used before', `${JSON.stringify(h.name)} again (also hosts[${prevName}])`);
      const prevAddr = addresses.get(h.address);
      if (prevAddr !== undefined) this.fail(['hosts', i, 'address'], 'an address no other host has', `${h.address} again (also hosts[${prevAddr}])`);
      names.set(h.name, i);
      addresses.set(h.address, i);
    });
    return doc.hosts.map((h) => ({ name: h.name, address: h.address }));
  }

  private sample(doc: ScenarioDocument): { every: Micros; until: Micros } {
    const { limits } = this.ctx;
    const problemsBefore = this.problems.length;
    const every = this.duration(doc.sample?.every, ['sample', 'every'], DEFAULTS.sampleEvery);
    const until = this.duration(doc.sample?.until, ['sample', 'until'], DEFAULTS.sampleUntil);
    if (every === 0) {
      this.fail(['sample', 'every'], 'an interval longer than 0', '0', 'sampling every 0 would never let time advance');
    } else if (every < limits.minSampleEvery) {
      this.fail(['sample', 'every'], `at least ${formatDuration(limits.minSampleEvery)} (limit minSampleEvery)`, formatDuration(every), this.limitHint('minSampleEvery', every));
    }
    if (until === 0) this.fail(['sample', 'until'], 'a run longer than 0', '0');
    else if (until > limits.maxRunTime) {
      this.fail(['sample', 'until'], `at most ${formatDuration(limits.maxRunTime)} (limit maxRunTime)`, formatDuration(until), this.limitHint('maxRunTime', until));
    }
    // the count of samples only when every and until are each acceptable: one complaint, not a cascade
    if (every > 0 && until > 0 && this.problems.length === problemsBefore) {
      const samples = Math.floor(until / every) + 1;
      if (samples > limits.maxSamples) {
        const raise = this.limitHint('maxSamples', samples);
        // blame the flag when one of the two came from the command line
        const blamed = this.ctx.flags?.has('sample.every') !== true && this.ctx.flags?.has('sample.until') === true ? 'until' : 'every';
        this.fail(
          ['sample', blamed],
          `at most ${big(limits.maxSamples)} samples (limit maxSamples)`,
          `${big(samples)} (every ${formatDuration(every)} until ${formatDuration(until)})`,
          `sample less often${raise === undefined ? '' : `, or ${raise}`}`,
        );
      }
    }
    return { every, until };
  }

  /** Every sample counts every process's sockets and fds: their product is bounded too. */
  private processSamples(sample: { every: Micros; until: Micros }, processes: number): void {
    const { limits } = this.ctx;
    if (sample.every <= 0 || sample.until <= 0) return;
    const samples = Math.floor(sample.until / sample.every) + 1;
    const product = samples * processes;
    if (product <= limits.maxProcessSamples) return;
    const raise = this.limitHint('maxProcessSamples', product);
    this.fail(
      ['sample', this.ctx.flags?.has('sample.every') !== true && this.ctx.flags?.has('sample.until') === true ? 'until' : 'every'],
      `at most ${big(limits.maxProcessSamples)} process samples (samples × processes, limit maxProcessSamples)`,
      `${big(samples)} samples × ${big(processes)} processes = ${big(product)}`,
      `sample less often, or use fewer processes${raise === undefined ? '' : `, or ${raise}`}`,
    );
  }

  private processes(doc: ScenarioDocument, hosts: readonly HostSpec[]): ProcessSpec[] {
    const { limits } = this.ctx;
    const entries = Object.entries(doc.processes);
    if (entries.length === 0) {
      this.fail(['processes'], 'at least one process', 'an empty map', 'a scenario needs a server (listen + onConnection) and usually a client (connections + steps)');
    }
    const hostNames = hosts.map((h) => h.name);
    const knownHosts = new Set(hostNames);
    const firstHost = hosts[0]?.name ?? DEFAULTS.host.name;
    const out: ProcessSpec[] = [];
    let totalConnections = 0;
    let biggest: { name: string; connections: number } | undefined;
    const listeners = new Map<string, string>();
    for (const [name, p] of entries) {
      const path = ['processes', name];
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
        this.fail(path, 'a process name (letters, digits, _ . -; starting with a letter)', JSON.stringify(name), undefined, 'key');
      }
      const host = p.host ?? firstHost;
      if (!knownHosts.has(host)) {
        this.fail([...path, 'host'], `a host defined in hosts (${namesList(hostNames)})`, JSON.stringify(host), didYouMean(host, hostNames));
      }
      const runtime = p.runtime === undefined ? null : RUNTIMES[p.runtime];
      const nofile = p.nofile ?? DEFAULTS.nofile;
      const baselineFds = p.baselineFds ?? runtime?.baselineFds ?? DEFAULTS.baselineFds;
      if (nofile > limits.maxNofile) {
        this.fail([...path, 'nofile'], `at most ${big(limits.maxNofile)} (limit maxNofile)`, big(nofile), this.limitHint('maxNofile', nofile));
      }
      if (baselineFds > nofile) {
        this.fail([...path, p.baselineFds === undefined ? 'nofile' : 'baselineFds'], `baselineFds (${baselineFds}) ≤ nofile (${nofile})`, `${baselineFds} fds open at start with a limit of ${nofile}`);
      }
      const role = this.role(name, p, path, runtime, hosts.find((h) => h.name === host)?.address);
      const keepalive = p.keepalive === undefined ? (runtime?.keepalive ?? null) : this.keepalive(p.keepalive, [...path, 'keepalive']);
      const spec: ProcessSpec = {
        name,
        host,
        nofile,
        baselineFds,
        acceptPolicy: p.acceptPolicy ?? runtime?.acceptPolicy ?? 'posix',
        runtime: p.runtime ?? null,
        keepalive,
        closeOnEof: p.allowHalfOpen === undefined ? (runtime?.closeOnEof ?? false) : !p.allowHalfOpen,
        closeWhenDone: runtime?.closeWhenDone ?? false,
        acceptCost: p.acceptCost === undefined ? (runtime?.acceptCost ?? 0) : this.duration(p.acceptCost, [...path, 'acceptCost'], 0),
        firstWriteFds: runtime?.firstWriteFds ?? 0,
        ...role,
        ...(p.command === undefined ? {} : { command: this.command(p.command, [...path, 'command']) }),
      };
      if (role.server !== undefined) {
        const key = `${host}:${role.server.port}`;
        const other = listeners.get(key);
        if (other !== undefined) {
          this.fail([...path, 'listen'], `a port free on host ${host}`, `port ${role.server.port}, already taken by ${other}`, 'two processes cannot listen on one port (EADDRINUSE)');
        }
        listeners.set(key, name);
      }
      if (role.client !== undefined) {
        totalConnections += role.client.connections;
        if (biggest === undefined || role.client.connections > biggest.connections) biggest = { name, connections: role.client.connections };
      }
      out.push(spec);
    }
    if (totalConnections > limits.maxConnections && biggest !== undefined) {
      this.fail(
        ['processes', biggest.name, 'connections'],
        `at most ${big(limits.maxConnections)} client connections in total (limit maxConnections)`,
        big(totalConnections),
        this.limitHint('maxConnections', totalConnections),
      );
    }
    return out;
  }

  /** A command as real mode runs it: argv as text, cwd absolute (relative to the scenario file's directory). */
  private command(doc: CommandDocument, path: DocPath): CommandSpec {
    const [program = '', ...args] = doc.argv.map(String);
    if (program === '') this.fail([...path, 'argv', 0], 'the program to run (a name on PATH, or a path)', 'an empty string');
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(doc.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) this.fail([...path, 'env', name], 'a variable name (letters, digits, _; not starting with a digit)', JSON.stringify(name), undefined, 'key');
      Object.defineProperty(env, name, { value: String(value), enumerable: true, writable: true, configurable: true });
    }
    const base = dirname(resolvePath(this.ctx.file));
    return { argv: [program, ...args], cwd: resolvePath(base, doc.cwd ?? '.'), env, build: doc.build ?? null };
  }

  private keepalive(doc: NonNullable<ProcessDocument['keepalive']>, path: DocPath): KeepaliveSpec | null {
    if (doc === 'off') return null;
    if (doc === 'on') return { idle: null, interval: null, probes: null };
    const idle = doc.idle === undefined ? null : this.duration(doc.idle, [...path, 'idle'], 0);
    const interval = doc.interval === undefined ? null : this.duration(doc.interval, [...path, 'interval'], 0);
    if (idle === 0) this.fail([...path, 'idle'], 'an idle time longer than 0', '0', 'Linux takes TCP_KEEPIDLE in whole seconds, at least 1');
    if (interval === 0) this.fail([...path, 'interval'], 'an interval longer than 0', '0', 'Linux takes TCP_KEEPINTVL in whole seconds, at least 1');
    return { idle, interval, probes: doc.probes ?? null };
  }

  /** What the server does when accept() fails: onAcceptError, with acceptRetry's delay, else the runtime's, else retry after 1 s. */
  private onAcceptError(listen: Exclude<ProcessDocument['listen'], number | undefined>, path: DocPath, runtime: RuntimeDefaults | null): AcceptErrorAction {
    const retryAfter = (): number => {
      const retry = listen.acceptRetry === undefined || listen.acceptRetry === 'never' ? DEFAULTS.acceptRetry : this.duration(listen.acceptRetry, [...path, 'acceptRetry'], DEFAULTS.acceptRetry);
      if (retry < this.ctx.limits.minAcceptRetry) {
        this.fail(
          [...path, 'acceptRetry'],
          `at least ${formatDuration(this.ctx.limits.minAcceptRetry)} (limit minAcceptRetry), or never`,
          formatDuration(retry),
          retry === 0 ? 'retrying accept() after 0 would loop forever at one instant' : this.limitHint('minAcceptRetry', retry),
        );
      }
      return retry;
    };
    const action = listen.onAcceptError;
    if (action !== undefined && action !== 'retry' && listen.acceptRetry !== undefined && listen.acceptRetry !== 'never') {
      this.fail([...path, 'acceptRetry'], 'acceptRetry only with onAcceptError: retry', `acceptRetry ${String(listen.acceptRetry)} with onAcceptError: ${action}`, undefined, 'key');
    }
    if (action === 'retry') {
      if (listen.acceptRetry === 'never') this.fail([...path, 'acceptRetry'], 'a duration with onAcceptError: retry', 'never', 'never means onAcceptError: stop');
      return { kind: 'retry', after: retryAfter() };
    }
    if (action === 'stop' || action === 'exit') return { kind: action };
    if (listen.acceptRetry === 'never') return { kind: 'stop' };
    if (listen.acceptRetry !== undefined || runtime === null) return { kind: 'retry', after: retryAfter() };
    return runtime.onAcceptError;
  }

  private role(name: string, p: ProcessDocument, path: DocPath, runtime: RuntimeDefaults | null, hostAddress: string | undefined): { server?: ServerSpec; client?: ClientSpec } {
    const isServer = p.listen !== undefined || p.onConnection !== undefined;
    const isClient = p.steps !== undefined || p.connections !== undefined || p.start !== undefined || p.ramp !== undefined;
    if (isServer && isClient) {
      const clientKey = p.steps !== undefined ? 'steps' : p.connections !== undefined ? 'connections' : p.start !== undefined ? 'start' : 'ramp';
      this.fail([...path, clientKey], 'either a server (listen, onConnection) or a client (connections, steps, start, ramp)', `both in process ${name}`, 'split it into two processes', 'key');
      return {};
    }
    if (isServer) {
      if (p.listen === undefined) {
        this.fail([...path, 'listen'], 'listen: a port, or { port, backlog, workers, acceptRetry }', 'onConnection without listen', undefined, 'key');
        return {};
      }
      if (p.onConnection === undefined) {
        this.fail([...path, 'onConnection'], 'onConnection: the steps run for each accepted connection', 'listen without onConnection', 'e.g. onConnection: [ { read: eof }, close ]', 'key');
        return {};
      }
      const listen = typeof p.listen === 'number' ? { port: p.listen } : p.listen;
      const onAcceptError = this.onAcceptError(listen, [...path, 'listen'], runtime);
      const address = listen.address ?? null;
      if (address !== null && address !== '0.0.0.0' && address !== hostAddress) {
        this.fail([...path, 'listen', 'address'], `0.0.0.0 or the host's address (${hostAddress ?? 'none'})`, address, 'a process binds an address of its own host');
      }
      const steps = this.steps(p.onConnection, [...path, 'onConnection'], 'server');
      return {
        server: {
          port: listen.port,
          address,
          backlog: listen.backlog ?? runtime?.backlog ?? DEFAULTS.backlog,
          workers: listen.workers === undefined || listen.workers === 'unbounded' ? null : listen.workers,
          onAcceptError,
          steps,
        },
      };
    }
    if (p.steps === undefined) {
      this.fail(path, 'a server (listen + onConnection) or a client (steps, with connections)', `process ${name} with neither`, undefined, 'key');
      return {};
    }
    const steps = this.steps(p.steps, [...path, 'steps'], 'client');
    return {
      client: {
        connections: p.connections ?? DEFAULTS.connections,
        start: this.duration(p.start, [...path, 'start'], 0),
        ramp: this.duration(p.ramp, [...path, 'ramp'], 0),
        steps,
      },
    };
  }

  private steps(docs: readonly StepDocument[], path: DocPath, role: 'server' | 'client'): Step[] {
    if (role === 'client' && docs.length === 0) this.fail(path, 'steps beginning with connect', 'an empty list');
    return docs.map((d, i) => {
      const at = [...path, i];
      const step = this.step(d, at);
      if (step.op === 'connect') {
        if (role === 'server') this.fail(at, 'a step a server runs on an accepted connection (not connect)', 'connect', 'a server\'s connections arrive through listen');
        else if (i > 0) this.fail(at, 'connect only as the first step', `connect at step ${i}`, 'each connection runs the steps once; use another client process for a second connection');
      } else if (role === 'client' && i === 0) {
        this.fail(at, 'connect as the first step of a client', `${step.op} before connect`);
      }
      return step;
    });
  }

  private step(d: StepDocument, path: DocPath): Step {
    if (typeof d === 'string') return { op: d };
    if ('connect' in d) {
      const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(d.connect);
      if (m !== null) {
        const port = Number(m[2]);
        if (port < 1 || port > 65_535) this.fail([...path, 'connect'], 'a port number 1..65535', m[2] ?? '');
        return { op: 'connect', to: { address: m[1] ?? '', port } };
      }
      return { op: 'connect', to: { process: d.connect } };
    }
    if ('write' in d) {
      // text goes out as UTF-8: the model's data are bytes, one per character of a latin1 string
      if (typeof d.write === 'string') return { op: 'write', data: Buffer.from(d.write, 'utf8').toString('latin1') };
      if (d.write.bytes > this.ctx.limits.maxWriteBytes) {
        this.fail([...path, 'write', 'bytes'], `at most ${big(this.ctx.limits.maxWriteBytes)} bytes (limit maxWriteBytes)`, big(d.write.bytes), this.limitHint('maxWriteBytes', d.write.bytes));
        return { op: 'write', data: '' };
      }
      return { op: 'write', data: filler(d.write.bytes) };
    }
    if ('read' in d) {
      const r = d.read;
      const amount: ReadAmount =
        r === 'line'
          ? { kind: 'line' }
          : r === 'eof'
            ? { kind: 'eof' }
            : typeof r === 'object' && 'upTo' in r
              ? { kind: 'upTo', count: r.upTo }
              : { kind: 'bytes', count: typeof r === 'number' ? r : r.bytes };
      return { op: 'read', amount };
    }
    return { op: 'sleep', duration: this.duration(d.sleep, [...path, 'sleep'], 0) };
  }

  private connectTargets(doc: ScenarioDocument, processes: readonly ProcessSpec[]): void {
    const servers = processes.filter((p) => p.server !== undefined).map((p) => p.name);
    const listening = new Set(servers);
    for (const p of processes) {
      p.client?.steps.forEach((s, i) => {
        if (s.op !== 'connect' || !('process' in s.to)) return;
        const target = s.to.process;
        const path = ['processes', p.name, 'steps', i, 'connect'];
        if (listening.has(target)) return;
        const exists = Object.prototype.hasOwnProperty.call(doc.processes, target);
        const expected = servers.length === 0 ? 'a process that listens (there is none) or "address:port"' : `a process that listens (${namesList(servers)}) or "address:port"`;
        this.fail(path, expected, exists ? `${JSON.stringify(target)}, which does not listen` : JSON.stringify(target), exists ? undefined : didYouMean(target, servers));
      });
    }
  }

  private expectations(doc: ScenarioDocument, processes: readonly ProcessSpec[], sample: { every: Micros; until: Micros }): Expectation[] {
    const names = processes.map((p) => p.name);
    const known = new Set(names);
    return (doc.expect ?? []).map((e, i): Expectation => {
      const path = ['expect', i];
      let at: Expectation['at'] = 'end';
      if (e.at === 'end' || e.at === 'peak') at = e.at;
      else if (e.at !== undefined) {
        const us = this.duration(e.at, [...path, 'at'], 0);
        at = us;
        // --every/--until reshape the run after the file was written: its expectations are then
        // judged at their own times (or fail as "sample missing"), not refused
        const reshaped = this.ctx.flags?.has('sample.every') === true || this.ctx.flags?.has('sample.until') === true;
        if (!reshaped && us > sample.until) {
          this.fail([...path, 'at'], `a time within the run (sample.until is ${formatDuration(sample.until)})`, formatDuration(us));
        } else if (!reshaped && sample.every > 0 && us % sample.every !== 0) {
          const below = us - (us % sample.every);
          this.fail([...path, 'at'], `a sample time (a multiple of sample.every, ${formatDuration(sample.every)})`, formatDuration(us), `did you mean ${formatDuration(below)} or ${formatDuration(below + sample.every)}?`);
        }
      }
      if (e.process !== undefined && !known.has(e.process)) {
        this.fail([...path, 'process'], `a process name (${namesList(names)})`, JSON.stringify(e.process), didYouMean(e.process, names));
      }
      if (e.states === undefined && e.fds === undefined && e.errors === undefined) {
        this.fail(path, 'an expectation with states, fds or errors', describeKeys(e), 'e.g. states: { CLOSE_WAIT: 0 }');
      }
      const states: Partial<Record<TcpState, Bound>> = {};
      for (const [s, b] of Object.entries(e.states ?? {})) if (b !== undefined) states[s as TcpState] = this.bound(b, [...path, 'states', s]);
      const errors: Partial<Record<Errno, Bound>> = {};
      for (const [s, b] of Object.entries(e.errors ?? {})) if (b !== undefined) errors[s as Errno] = this.bound(b, [...path, 'errors', s]);
      const fds: Record<string, Bound> = {};
      for (const [proc, b] of Object.entries(e.fds ?? {})) {
        if (!known.has(proc)) this.fail([...path, 'fds', proc], `a process name (${namesList(names)})`, JSON.stringify(proc), didYouMean(proc, names), 'key');
        Object.defineProperty(fds, proc, { value: this.bound(b, [...path, 'fds', proc]), enumerable: true, writable: true, configurable: true });
      }
      const { line, col } = this.index.position(this.index.offsetOf(path));
      return {
        at,
        ...(e.process === undefined ? {} : { process: e.process }),
        ...(e.states === undefined ? {} : { states }),
        ...(e.fds === undefined ? {} : { fds }),
        ...(e.errors === undefined ? {} : { errors }),
        ...(e.note === undefined ? {} : { note: e.note }),
        source: `${this.ctx.file}:${line}:${col}`,
      };
    });
  }

  private bound(b: BoundDocument, path: DocPath): Bound {
    if (typeof b === 'number') return { exact: b };
    if (b.min === undefined && b.max === undefined) {
      this.fail(path, 'a count N or { min: N, max: M } with at least one of min, max', 'an empty map');
    }
    if (b.min !== undefined && b.max !== undefined && b.min > b.max) this.fail([...path, 'max'], `a max ≥ min (${b.min})`, String(b.max));
    return { ...(b.min === undefined ? {} : { min: b.min }), ...(b.max === undefined ? {} : { max: b.max }) };
  }

  private faults(doc: ScenarioDocument, runEnd: Micros): FaultSpec[] {
    return (doc.faults ?? []).map((f, i): FaultSpec => {
      const path = ['faults', i];
      const from = this.duration(f.from, [...path, 'from'], 0);
      const until = this.duration(f.until, [...path, 'until'], runEnd);
      if (until <= from) this.fail([...path, f.until === undefined ? 'from' : 'until'], `a window that ends after it starts (from ${formatDuration(from)})`, `until ${formatDuration(until)}`);
      return {
        match: f.match,
        ...(f.port === undefined ? {} : { port: f.port }),
        from,
        until,
        drop: f.drop === undefined ? 1 : this.probability(f.drop, [...path, 'drop']),
      };
    });
  }

  private sysctls(doc: ScenarioDocument, overrides: ProfileOverrides): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(doc.sysctls ?? {})) {
      if (!/^[a-z0-9_]+(?:\.[a-z0-9_-]+)+$/.test(key)) {
        this.fail(['sysctls', key], 'a sysctl name such as net.ipv4.tcp_fin_timeout', JSON.stringify(key), key.includes('/') ? `write ${key.replace(/^\/?proc\/sys\//, '').replace(/\//g, '.')}` : undefined, 'key');
      }
      const row = sysctlRow(key);
      if (!Number.isInteger(value)) this.fail(['sysctls', key], 'an integer (sysctls are whole numbers)', String(value));
      else if (row !== undefined && (value < row.min || value > row.max)) {
        this.fail(['sysctls', key], `${row.unit}, ${big(row.min)}…${big(row.max)} (${row.meaning})`, String(value));
      } else if (row?.field != null) this.sysctlAgainstProfile(key, value, row.field, overrides);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** A sysctl and the profile field it decides must not say different things (sysctlProfile.ts). */
  private sysctlAgainstProfile(key: string, value: number, field: keyof ProfileOverrides, overrides: ProfileOverrides): void {
    const written = overrides[field];
    if (written === undefined) return;
    const implied = overridesFromSysctls({ [key]: value })[field];
    if (implied === written) return;
    const show = (v: unknown): string => (typeof v === 'number' && DURATION_FIELDS.has(field) ? formatDuration(v) : v === null ? 'never' : String(v));
    this.fail(
      ['sysctls', key],
      `the same setting as profile.${field} (${show(written)}, at ${this.index.where(['profile', field])})`,
      `${value}, which means ${field} ${show(implied)}`,
      `set it in one place: both decide the model's ${field} (and the kernel's ${key} in real mode)`,
    );
  }
}

const DURATION_FIELDS: ReadonlySet<string> = new Set(['timeWait', 'finTimeout', 'synRto', 'rto', 'rtoMax', 'delAck']);

function describeKeys(e: object): string {
  const keys = Object.keys(e);
  return keys.length === 0 ? 'an empty map' : `only ${keys.join(', ')}`;
}

/** Filler text for `write: { bytes: N }`: printable, newline-free, so `read: line` never stops in it. */
function filler(bytes: number): string {
  const pattern = 'tcpsim-filler-0123456789abcdefghijklmnopqrstuvwxyz.';
  return pattern.repeat(Math.ceil(bytes / pattern.length)).slice(0, bytes);
}
