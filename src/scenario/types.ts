/**
 * The validated, resolved shape of a scenario: what the loader hands to the simulator and to
 * real mode. Parameters are substituted, defaults applied, durations converted to integer
 * microseconds. The YAML an author writes is described in docs/scenario-format.md.
 */
import type { TcpState } from '../model/states.js';
import type { Errno } from '../sim/trace.js';

/** Integer microseconds of virtual time. */
export type Micros = number;

/** Which OS's timers and choices the model follows. */
export type ProfileName = 'linux' | 'rfc9293';

/** Per-scenario changes to a profile (all optional; durations in microseconds). */
export interface ProfileOverrides {
  /** TIME_WAIT length (Linux: 60 s compiled in; RFC 9293: 2 MSL = 4 min). */
  readonly timeWait?: Micros;
  /** How long an orphaned FIN_WAIT_2 lives (Linux net.ipv4.tcp_fin_timeout); null = forever. */
  readonly finTimeout?: Micros | null;
  /** SYN retransmissions before ETIMEDOUT (net.ipv4.tcp_syn_retries). */
  readonly synRetries?: number;
  /** SYN timeouts that do not double the RTO (net.ipv4.tcp_syn_linear_timeouts, Linux ≥ 6.7). */
  readonly synLinearTimeouts?: number;
  /** SYN-ACK retransmissions (net.ipv4.tcp_synack_retries). */
  readonly synAckRetries?: number;
  /** FIN / data retransmissions before the socket is dropped with ETIMEDOUT. */
  readonly finRetries?: number;
  /** First SYN retransmission timeout, doubling each time. */
  readonly synRto?: Micros;
  /** First data/FIN retransmission timeout, doubling each time, capped at rtoMax. */
  readonly rto?: Micros;
  /** Cap on the retransmission timeout. */
  readonly rtoMax?: Micros;
  /** close() with unread received data sends RST instead of FIN (RFC 2525 §2.17). */
  readonly rstOnUnreadClose?: boolean;
  /** A RST received in TIME_WAIT ends it (Linux default, net.ipv4.tcp_rfc1337=0). */
  readonly rstEndsTimeWait?: boolean;
  /** A tail-loss probe precedes the RTO series (Linux net.ipv4.tcp_early_retrans = 3). */
  readonly tailLossProbe?: boolean;
  /** Delay before ACKing a FIN received in ESTABLISHED; null = at once (Linux TCP_ATO_MIN 40 ms). */
  readonly delAck?: Micros | null;
  /** Receive buffer in bytes; unread data beyond it closes the window (net.ipv4.tcp_rmem). */
  readonly rcvBuf?: number;
}

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

/** What a process's accept() does when its fd table is full. */
export type AcceptPolicy = 'posix' | 'libuv';

/** How much a read step consumes. */
export type ReadAmount =
  | { readonly kind: 'line' }
  | { readonly kind: 'bytes'; readonly count: number }
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
  readonly backlog: number;
  /** Most connections handled at once (a thread pool); null = unbounded (goroutine per connection). */
  readonly workers: number | null;
  /** posix policy: how long the program waits before retrying accept() after EMFILE; null = it stops accepting. */
  readonly acceptRetry: Micros | null;
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

/** A process with its fd table. Exactly one of `server` / `client` is set. */
export interface ProcessSpec {
  readonly name: string;
  readonly host: string;
  /** RLIMIT_NOFILE. */
  readonly nofile: number;
  /** fds open before the program opens sockets (stdin/out/err, jars, epoll, ...). */
  readonly baselineFds: number;
  readonly acceptPolicy: AcceptPolicy;
  readonly server?: ServerSpec;
  readonly client?: ClientSpec;
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
  /** Only segments to this port (either direction when omitted). */
  readonly port?: number;
  readonly from: Micros;
  readonly until: Micros;
  /** Probability of dropping a matching segment in the window (1 = every one). */
  readonly drop: number;
}
