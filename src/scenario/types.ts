/**
 * The validated, resolved shape of a scenario: what the loader hands to the simulator and to
 * real mode. Parameters are substituted, defaults applied, durations converted to integer
 * microseconds. The YAML an author writes is described in docs/scenario-format.md.
 */
import type { TcpState } from '../model/states.js';
import type { Errno } from '../model/errno.js';

/** Integer microseconds of virtual time. */
export type Micros = number;

/** Profile names and overrides belong to the model (src/model/profile.ts); re-exported for scenario code. */
export type { ProfileName, ProfileOverrides } from '../model/profile.js';
import type { ProfileName, ProfileOverrides } from '../model/profile.js';

/** Network behaviour between hosts (and on loopback). Probabilities are 0..1. */
export interface NetworkSpec {
  readonly latency: Micros;
  readonly jitter: Micros;
  readonly loss: number;
  readonly duplicate: number;
  readonly reorder: number;
}

/** A machine with one kernel. */
export interface HostSpec {
  readonly name: string;
  /** IPv4 address, e.g. 127.0.0.1. */
  readonly address: string;
}

/**
 * How a server program calls accept(). `posix`: a loop around accept(2) (C, Java's
 * ServerSocket, Go, Python): the kernel takes a free fd first, so with a full table it fails with
 * EMFILE at once, connection or not, and the program's onAcceptError decides. `libuv` (Node): it
 * accepts only when epoll says a connection waits, and answers EMFILE with uv__emfile_trick,
 * accepting and closing the connection; the program never hears of it.
 */
export type AcceptPolicy = 'posix' | 'libuv';

/** What a posix server program does when accept() fails (EMFILE). */
export type AcceptErrorAction =
  /** It waits `after`, then calls accept() again (a C loop with a sleep; Go's net/http waits 5 ms doubling to 1 s). */
  | { readonly kind: 'retry'; readonly after: Micros }
  /** The accept loop ends; the listener stays open and full (the article's Java main: one try around the loop). */
  | { readonly kind: 'stop' }
  /** The process ends and the kernel closes every fd it held (the article's Go main returns). */
  | { readonly kind: 'exit' };

/** The language runtimes a process can name; each brings measured defaults (src/scenario/runtimes.ts). */
export type RuntimeName = 'java' | 'go' | 'node' | 'python' | 'c';

/** SO_KEEPALIVE as a program sets it: TCP_KEEPIDLE and TCP_KEEPINTVL, or null for the profile's sysctl values; TCP_KEEPCNT likewise. */
export interface KeepaliveSpec {
  readonly idle: Micros | null;
  readonly interval: Micros | null;
  readonly probes: number | null;
}

/** How much a read step consumes. */
export type ReadAmount =
  | { readonly kind: 'line' }
  /** Exactly `count` bytes (or what is left before EOF). */
  | { readonly kind: 'bytes'; readonly count: number }
  /** One read(2) into a `count`-byte buffer: whatever has arrived, at most `count` bytes; waits only when nothing has. */
  | { readonly kind: 'upTo'; readonly count: number }
  | { readonly kind: 'eof' };

/** One step of a program, run against one connection. */
export type Step =
  /** Connect to a process's listening address or to an explicit address. */
  | { readonly op: 'connect'; readonly to: { readonly process: string } | { readonly address: string; readonly port: number } }
  | { readonly op: 'write'; readonly data: string }
  | { readonly op: 'read'; readonly amount: ReadAmount }
  | { readonly op: 'sleep'; readonly duration: Micros }
  | { readonly op: 'shutdown' }
  | { readonly op: 'close' }
  | { readonly op: 'abort' }
  | { readonly op: 'exit' };

/** A server: listens, accepts, and runs `steps` for each accepted connection. */
export interface ServerSpec {
  readonly port: number;
  /** The address it binds: the host's, or 0.0.0.0 for every address (Java's `new ServerSocket(port)`). */
  readonly address: string | null;
  readonly backlog: number;
  /** Most connections handled at once (a thread pool); null = unbounded (goroutine per connection). */
  readonly workers: number | null;
  /** posix policy: what the program does when accept() fails. */
  readonly onAcceptError: AcceptErrorAction;
  readonly steps: readonly Step[];
}

/** A client: opens `connections` connections, each running `steps` (which begin with connect). */
export interface ClientSpec {
  readonly connections: number;
  /** When the first connection starts. */
  readonly start: Micros;
  /** Connections start evenly over this span after `start`; 0 = all at once. */
  readonly ramp: Micros;
  readonly steps: readonly Step[];
}

/**
 * Real mode: an external program that is the process (the model still runs the scenario's
 * description of it). Run with no shell, under `prlimit --nofile=N:N`, in the run's namespace.
 */
export interface CommandSpec {
  /** The program and its arguments, parameters substituted. */
  readonly argv: readonly [string, ...string[]];
  /** Absolute working directory (the scenario's `cwd`, relative to the scenario file's directory). */
  readonly cwd: string;
  /** Variables added to the environment. */
  readonly env: Readonly<Record<string, string>>;
  /** How to build it, shown when cwd or argv[0] is missing; null when the scenario does not say. */
  readonly build: string | null;
}

/** A process with its fd table. Exactly one of `server` / `client` is set. */
export interface ProcessSpec {
  readonly name: string;
  readonly host: string;
  /** RLIMIT_NOFILE. */
  readonly nofile: number;
  /** fds open before the program opens sockets (stdin/out/err, jars, epoll, ...). */
  readonly baselineFds: number;
  readonly acceptPolicy: AcceptPolicy;
  /** The runtime the process names, whose defaults filled what the scenario left out; null = none named. */
  readonly runtime: RuntimeName | null;
  /** SO_KEEPALIVE on every connection it opens or accepts (Go's default), or null. */
  readonly keepalive: KeepaliveSpec | null;
  /** The runtime closes a connection once a read reaches EOF (Node without allowHalfOpen: end(), then destroy()). */
  readonly closeOnEof: boolean;
  /** The runtime closes a connection the program drops without closing (CPython's reference counting). */
  readonly closeWhenDone: boolean;
  /** Program time spent per accepted connection before the next accept() (a new thread, say); 0 = none. */
  readonly acceptCost: Micros;
  /**
   * fds the runtime opens at the process's first socket write and keeps (OpenJDK: the pre-close
   * socketpair of its socket dispatcher). If they cannot be opened (EMFILE), that write and every
   * later one in the process fails, and the thread making it dies without closing anything
   * (Java: ExceptionInInitializerError, then NoClassDefFoundError).
   */
  readonly firstWriteFds: number;
  readonly server?: ServerSpec;
  readonly client?: ClientSpec;
  /** Real mode runs this program for the process instead of the built-in runner; `tcpsim run` ignores it. */
  readonly command?: CommandSpec;
}

/** A count that must be exact or within bounds (inclusive). */
export type Bound = { readonly exact: number } | { readonly min?: number; readonly max?: number };

/** One expectation checked after the run. */
export interface Expectation {
  /** The sample time it applies to; 'end' = the final state; 'peak' = the maximum over all samples. */
  readonly at: Micros | 'end' | 'peak';
  /** Restrict state counts to sockets of this process. */
  readonly process?: string;
  readonly states?: Readonly<Partial<Record<TcpState, Bound>>>;
  readonly fds?: Readonly<Record<string, Bound>>;
  readonly errors?: Readonly<Partial<Record<Errno, Bound>>>;
  /** Text written by the author, shown instead of the generated one. */
  readonly note?: string;
  /** Where the expectation was written, for messages ("scenarios/x.yaml:40:5"). */
  readonly source: string;
}

/** A parameter the CLI can override with --param name=value. */
export interface ParamSpec {
  readonly name: string;
  readonly default: number;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
}

/** A scenario after loading and parameter substitution. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The file it came from, as given on the command line. */
  readonly file: string;
  readonly seed: number;
  readonly profile: ProfileName;
  readonly profileOverrides: ProfileOverrides;
  readonly params: readonly ParamSpec[];
  /** The values in force for this run (defaults merged with --param). */
  readonly paramValues: Readonly<Record<string, number>>;
  readonly network: NetworkSpec;
  readonly hosts: readonly HostSpec[];
  readonly processes: readonly ProcessSpec[];
  readonly sample: { readonly every: Micros; readonly until: Micros };
  readonly expectations: readonly Expectation[];
  /** Kernel tunables applied in real mode's namespace (e.g. { 'net.ipv4.tcp_fin_timeout': 2 }). */
  readonly sysctls: Readonly<Record<string, number>>;
  /** Real mode: nft drop rules applied on the input hook inside the namespace. */
  readonly faults: readonly FaultSpec[];
}

/** A fault injected on the input path for a time window (both modes). */
export interface FaultSpec {
  /** Which segments: any, or those carrying the named flag. */
  readonly match: 'any' | 'fin' | 'syn' | 'rst' | 'data';
  /** Only segments to or from this port; every segment when omitted. */
  readonly port?: number;
  readonly from: Micros;
  readonly until: Micros;
  /** Probability of dropping a matching segment in the window (1 = every one). */
  readonly drop: number;
}
