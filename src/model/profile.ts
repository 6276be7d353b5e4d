/**
 * OS profiles: the timers and choices that differ between a real stack and the RFC, as plain
 * data. A scenario names one and may override any field. Durations are integer microseconds.
 */
import type { EndpointFeatures } from './endpointMachine.js';

/** Which OS's timers and choices the model follows. */
export type ProfileName = 'linux' | 'rfc9293';

/** Everything about an OS the model needs. */
export interface Profile {
  readonly name: ProfileName;
  /** TIME_WAIT length. */
  readonly timeWait: number;
  /** Orphaned FIN_WAIT_2 lifetime; null = no timer. */
  readonly finTimeout: number | null;
  readonly synRetries: number;
  /** SYN timeouts that do not double the RTO before the backoff starts (Linux ≥ 6.7 tcp_syn_linear_timeouts). */
  readonly synLinearTimeouts: number;
  readonly synAckRetries: number;
  readonly finRetries: number;
  readonly synRto: number;
  readonly rto: number;
  readonly rtoMax: number;
  readonly rstOnUnreadClose: boolean;
  readonly rstEndsTimeWait: boolean;
  /**
   * A SYN that finds its connection in TIME_WAIT, on a port a listener has, opens a new
   * connection when it is newer than the old one: TIME_WAIT ends at once and the listener takes
   * the SYN (Linux tcp_timewait_state_process → TCP_TW_SYN; RFC 6191). Newer: its sequence
   * number is beyond RCV.NXT, or its timestamp is (a later millisecond than the old connection's
   * last segment; Linux sends timestamps by default, net.ipv4.tcp_timestamps=1). Otherwise the SYN
   * is answered with an ACK and TIME_WAIT goes on (RFC 9293 §3.10.7.4).
   */
  readonly synReopensTimeWait: boolean;
  /**
   * After an ACK in SYN_SENT that is not for our SYN (answered with a RST), the SYN goes again
   * two timer ticks later if it has not been retransmitted yet — "previous FIN/ACK or RST/ACK
   * might be ignored" (Linux tcp_rcv_synsent_state_process: TCP_TIMEOUT_MIN, 8 ms at HZ 250;
   * measured here: refused 8 ms after connect() when a TIME_WAIT with no listener answered).
   * Otherwise the SYN's own timer runs on.
   */
  readonly synRetryAfterBadAck: boolean;
  /**
   * The first resend of an unacknowledged FIN/data is a tail-loss probe one RTO after the send,
   * which does not count as a retransmission: the RTO backoff series starts after it (Linux
   * tcp_schedule_loss_probe, RFC 8985; measured on loopback: resends at ≈0.21, 0.42, 0.85, 1.7 s).
   */
  readonly tailLossProbe: boolean;
  /**
   * Delay before ACKing a FIN received in ESTABLISHED; null = ACK at once (RFC 9293). Linux:
   * TCP_ATO_MIN = 40 ms (tcp_fin → pingpong mode → tcp_send_delayed_ack).
   */
  readonly delAck: number | null;
  /** Receive buffer in bytes: unread data beyond it closes the advertised window. */
  readonly rcvBuf: number;
  /** Ephemeral port range for connect() (Linux net.ipv4.ip_local_port_range). */
  readonly ephemeralPorts: readonly [number, number];
  /**
   * Timer ticks per second of Linux's timer wheel (CONFIG_HZ), or null for exact timers. Every
   * kernel timer fires at the end of a wheel bucket, late by up to the bucket's width, which
   * grows with the timeout (see timerWheel.ts); null fires each timer at exactly its timeout.
   */
  readonly hz: number | null;
  /** Idle time before the first keepalive probe when a program sets SO_KEEPALIVE alone (net.ipv4.tcp_keepalive_time). */
  readonly keepaliveTime: number;
  /** Time between unanswered keepalive probes (net.ipv4.tcp_keepalive_intvl). */
  readonly keepaliveIntvl: number;
  /** Unanswered probes before the connection is reset (net.ipv4.tcp_keepalive_probes). */
  readonly keepaliveProbes: number;
  /** Cap on a listen() backlog (net.core.somaxconn). */
  readonly somaxconn: number;
  /**
   * A SYN that finds the listener's SYN queue full (as many half-open connections as its
   * backlog) is answered with a SYN cookie instead of being dropped (net.ipv4.tcp_syncookies=1).
   */
  readonly syncookies: boolean;
  /**
   * Time a host's kernel spends receiving one segment (µs): segments that arrive together are
   * handled one after another, and a program can run in between. 0 = no cost.
   */
  readonly rxCost: number;
  /**
   * Time from the kernel waking a program blocked on a socket (data, a connection to accept,
   * connect() done) until the program runs (µs): the scheduler's wake-up. Segments that arrive
   * meanwhile are already there when it looks (a client's data before libuv's EMFILE trick
   * closes the connection, say). 0 = at once.
   */
  readonly wakeLatency: number;
}

/** Per-scenario changes to a profile (all optional; durations in microseconds). */
export type ProfileOverrides = Partial<Omit<Profile, 'name' | 'ephemeralPorts'>>;

const SECOND = 1_000_000;

/**
 * Linux 6.x defaults: TCP_TIMEWAIT_LEN = 60 s (include/net/tcp.h, compiled in), tcp_fin_timeout
 * = 60 s, tcp_syn_retries = 6 from TCP_TIMEOUT_INIT = 1 s, the first tcp_syn_linear_timeouts = 4
 * of them without doubling (Linux ≥ 6.7; ETIMEDOUT after ≈131 s instead of 127 s),
 * tcp_synack_retries = 5, tcp_orphan_retries = 0 meaning 8 (tcp_orphan_retries()),
 * TCP_RTO_MIN = 200 ms, TCP_RTO_MAX = 120 s, RST on close with unread data (tcp_close),
 * tcp_rfc1337 = 0 so a RST ends TIME_WAIT, ip_local_port_range 32768–60999, and a tail-loss
 * probe before the RTO series (tcp_early_retrans = 3).
 */
export const LINUX: Profile = {
  name: 'linux',
  timeWait: 60 * SECOND,
  finTimeout: 60 * SECOND,
  synRetries: 6,
  // Linux ≥ 6.7: SYNs at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, ETIMEDOUT at 131 s (measured here)
  synLinearTimeouts: 4,
  synAckRetries: 5,
  finRetries: 8,
  synRto: 1 * SECOND,
  rto: 200_000,
  rtoMax: 120 * SECOND,
  rstOnUnreadClose: true,
  rstEndsTimeWait: true,
  // a client port reused while the server's side of its last connection is in TIME_WAIT: the
  // new SYN takes over the 4-tuple (seen on loopback, where bind(0) picks ports at random)
  synReopensTimeWait: true,
  synRetryAfterBadAck: true,
  // tcp_early_retrans = 3 on a default kernel: a tail-loss probe precedes the RTO series
  tailLossProbe: true,
  // TCP_ATO_MIN: the ACK of a FIN came 41–44 ms after it on loopback (measured with tshark)
  delAck: 40_000,
  // net.ipv4.tcp_rmem default (4096 131072 6291456): 128 KiB before autotuning
  rcvBuf: 131_072,
  ephemeralPorts: [32768, 60999],
  // CONFIG_HZ=250 (Debian's kernels, and this machine's /proc/config.gz): 4 ms ticks
  hz: 250,
  // net.ipv4.tcp_keepalive_time/intvl/probes defaults (include/net/tcp.h TCP_KEEPALIVE_*)
  keepaliveTime: 7200 * SECOND,
  keepaliveIntvl: 75 * SECOND,
  keepaliveProbes: 9,
  // net.core.somaxconn = 4096 since Linux 5.4 (128 before)
  somaxconn: 4096,
  syncookies: true,
  // a loopback segment through tcp_v4_rcv on this kind of machine (docs/article-measured.md)
  rxCost: 5,
  wakeLatency: 30,
};

/**
 * RFC 9293 as written: MSL = 2 minutes so TIME_WAIT = 2 MSL = 4 min (§3.4.2), no FIN_WAIT_2
 * timeout, initial RTO 1 s (RFC 6298 §2.1), RTO floor 1 s (RFC 6298 §2.4), RST on close with
 * pending data (RFC 1122 §4.2.2.13), RST in TIME_WAIT enters CLOSED (§3.10.7.4).
 */
export const RFC9293: Profile = {
  name: 'rfc9293',
  timeWait: 240 * SECOND,
  finTimeout: null,
  synRetries: 6,
  synLinearTimeouts: 0,
  synAckRetries: 5,
  finRetries: 8,
  synRto: 1 * SECOND,
  rto: 1 * SECOND,
  rtoMax: 60 * SECOND,
  rstOnUnreadClose: true,
  rstEndsTimeWait: true,
  // no timestamps in RFC 9293 alone: a SYN in TIME_WAIT gets an ACK
  synReopensTimeWait: false,
  synRetryAfterBadAck: false,
  tailLossProbe: false,
  delAck: null,
  // a 16-bit window without scaling (RFC 7323 §2)
  rcvBuf: 65_535,
  ephemeralPorts: [49152, 65535],
  hz: null,
  // RFC 1122 §4.2.3.6: keep-alives, if any, no sooner than after two hours of idleness
  keepaliveTime: 7200 * SECOND,
  keepaliveIntvl: 75 * SECOND,
  keepaliveProbes: 9,
  somaxconn: Number.MAX_SAFE_INTEGER,
  // SYN cookies are a host's defence (RFC 4987 §3.6), not part of TCP: a full SYN queue drops the SYN
  syncookies: false,
  rxCost: 0,
  wakeLatency: 0,
};

/** The built-in profiles by name. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = { linux: LINUX, rfc9293: RFC9293 };

/** A profile with a scenario's overrides applied. */
export function resolveProfile(name: ProfileName, overrides: ProfileOverrides = {}): Profile {
  const base = PROFILES[name];
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...base, ...defined } as Profile;
}

/** The graph-shaping features of a profile (which compiled table it runs on). */
export function featuresOf(profile: Profile): EndpointFeatures {
  return {
    orphanFinWait2Timeout: profile.finTimeout !== null,
    rstOnUnreadClose: profile.rstOnUnreadClose,
    rstEndsTimeWait: profile.rstEndsTimeWait,
    delayedFinAck: profile.delAck !== null,
  };
}

/** A short key naming a feature set (one compiled table per key). */
export function featureKey(features: EndpointFeatures): string {
  return `${+features.orphanFinWait2Timeout}${+features.rstOnUnreadClose}${+features.rstEndsTimeWait}${+features.delayedFinAck}`;
}
