/**
 * The one table between Linux sysctls and profile fields, read by `tcpsim run` (a scenario's
 * `sysctls:` become profile values), by the scenario loader (ranges, and a sysctl that
 * contradicts a profile override) and by `tcpsim real` (what to write in the run's namespace,
 * what to read back for the model, what it must refuse). A new profile field that a sysctl
 * decides is one row here. Pure: no I/O.
 *
 * Which wins when a scenario sets both a profile field and the sysctl that decides it: neither —
 * different values are an error naming both places; equal values are accepted.
 */
import type { Profile, ProfileOverrides } from './profile.js';

/** A profile field a sysctl can decide. */
export type SysctlField = keyof ProfileOverrides & keyof Profile;

/** One sysctl: its range, and the profile field it decides (or why the model ignores it). */
export interface SysctlRow {
  /** Dotted name, as `sysctl` prints it. */
  readonly sysctl: string;
  /** The field it decides; null when the model does not follow it (`run` ignores it, `real` refuses it). */
  readonly field: SysctlField | null;
  /** The sysctl's unit, in words (`seconds`, `a count`, `0 or 1`). */
  readonly unit: string;
  /** Smallest value the model can follow (the kernel may accept more). */
  readonly min: number;
  /** Largest value the model can follow. */
  readonly max: number;
  /** The first Linux release that has it, for sysctls newer than 6.1. */
  readonly since?: string;
  /** What the kernel behaves like without the sysctl (before `since`), as a sysctl value. */
  readonly absent?: number;
  /** What it does, or, for a row the model ignores, why. */
  readonly meaning: string;
  /** The profile values a sysctl value stands for ({} for a row the model ignores). */
  toProfile(value: number): ProfileOverrides;
  /** The sysctl value that reproduces `profile`'s field, or the reason none does. */
  fromProfile(profile: Profile): number | { readonly reason: string };
}

const SECOND = 1_000_000;
const INT_MAX = 2_147_483_647;

interface ModelledRow<K extends SysctlField> {
  readonly sysctl: string;
  readonly field: K;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly since?: string;
  readonly absent?: number;
  readonly meaning: string;
  readonly toField: (value: number) => Profile[K];
  /** The sysctl value for a field value (range-checked afterwards), or why there is none. */
  readonly fromField: (value: Profile[K]) => number | { readonly reason: string };
}

function modelled<K extends SysctlField>(r: ModelledRow<K>): SysctlRow {
  return {
    sysctl: r.sysctl,
    field: r.field,
    unit: r.unit,
    min: r.min,
    max: r.max,
    ...(r.since === undefined ? {} : { since: r.since }),
    ...(r.absent === undefined ? {} : { absent: r.absent }),
    meaning: r.meaning,
    toProfile: (value) => ({ [r.field]: r.toField(value) }) as ProfileOverrides,
    fromProfile: (profile) => {
      const value = r.fromField(profile[r.field]);
      if (typeof value !== 'number') return value;
      if (value < r.min || value > r.max) return { reason: `${r.sysctl} would be ${value}, outside ${r.min}…${r.max}` };
      return value;
    },
  };
}

function ignored(sysctl: string, unit: string, min: number, max: number, meaning: string): SysctlRow {
  return { sysctl, field: null, unit, min, max, meaning, toProfile: () => ({}), fromProfile: () => ({ reason: meaning }) };
}

const wholeUnits = (micros: number, unit: number, name: string): number | { reason: string } =>
  micros % unit === 0 ? micros / unit : { reason: `${name} counts whole ${unit === SECOND ? 'seconds' : 'milliseconds'}` };

/** Every sysctl tcpsim knows, modelled or not. */
export const SYSCTL_TABLE: readonly SysctlRow[] = [
  modelled({
    sysctl: 'net.ipv4.tcp_fin_timeout',
    field: 'finTimeout',
    unit: 'seconds',
    // 0 is accepted by the kernel but means 3.5 RTO (tcp_fin_time()), which the model does not follow
    min: 1,
    max: 2_147_483,
    meaning: 'lifetime of an orphaned FIN_WAIT_2',
    toField: (s) => s * SECOND,
    fromField: (us) => (us === null ? { reason: 'Linux always ends an orphaned FIN_WAIT_2 after tcp_fin_timeout; "never" has no sysctl' } : wholeUnits(us, SECOND, 'tcp_fin_timeout')),
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_syn_retries',
    field: 'synRetries',
    unit: 'a count',
    min: 1,
    max: 127,
    meaning: 'SYN retransmissions before connect() fails with ETIMEDOUT',
    toField: (n) => n,
    fromField: (n) => n,
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_synack_retries',
    field: 'synAckRetries',
    unit: 'a count',
    min: 0,
    max: 255,
    meaning: 'SYN-ACK retransmissions of a listener',
    toField: (n) => n,
    fromField: (n) => n,
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_orphan_retries',
    field: 'finRetries',
    unit: 'a count (0 means 8)',
    min: 0,
    max: 255,
    meaning: 'FIN retransmissions of an orphaned socket (tcp_orphan_retries(): 0 means 8)',
    toField: (n) => (n === 0 ? 8 : n),
    fromField: (n) => (n === 0 ? { reason: 'tcp_orphan_retries 0 means 8 in the kernel; finRetries 0 has no sysctl' } : n),
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_rfc1337',
    field: 'rstEndsTimeWait',
    unit: '0 or 1',
    min: 0,
    max: 1,
    meaning: '1: a RST received in TIME_WAIT does not end it (RFC 1337)',
    toField: (v) => v === 0,
    fromField: (ends) => (ends ? 0 : 1),
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_early_retrans',
    field: 'tailLossProbe',
    unit: '0 to 4',
    min: 0,
    max: 4,
    meaning: '3 or 4: a tail-loss probe precedes the RTO series',
    toField: (v) => v >= 3,
    fromField: (probe) => (probe ? 3 : 0),
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_syn_linear_timeouts',
    field: 'synLinearTimeouts',
    unit: 'a count',
    min: 0,
    max: 127,
    since: '6.7',
    absent: 0,
    meaning: 'SYN timeouts before the RTO starts doubling',
    toField: (n) => n,
    fromField: (n) => n,
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_rto_min_us',
    field: 'rto',
    unit: 'microseconds',
    min: 1,
    max: INT_MAX,
    since: '6.11',
    absent: 200_000,
    meaning: 'the least retransmission timeout (on loopback the RTO is this plus microseconds)',
    toField: (us) => us,
    fromField: (us) => us,
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_rto_max_ms',
    field: 'rtoMax',
    unit: 'milliseconds',
    min: 1000,
    max: 120_000,
    since: '6.15',
    absent: 120_000,
    meaning: 'cap on the retransmission timeout',
    toField: (ms) => ms * 1000,
    fromField: (us) => wholeUnits(us, 1000, 'tcp_rto_max_ms'),
  }),
  ignored('net.ipv4.tcp_retries2', 'a count', 0, 255, 'retransmissions of a connection whose program still holds its fd; the model gives every socket finRetries (tcp_orphan_retries)'),
  ignored('net.ipv4.tcp_max_tw_buckets', 'a count', 0, INT_MAX, 'cap on TIME_WAIT sockets; the model keeps every TIME_WAIT'),
  modelled({
    sysctl: 'net.ipv4.tcp_keepalive_time',
    field: 'keepaliveTime',
    unit: 'seconds',
    min: 1,
    max: 32_767,
    meaning: 'idle time before the first keepalive probe, for a socket with SO_KEEPALIVE and no TCP_KEEPIDLE',
    toField: (s) => s * SECOND,
    fromField: (us) => wholeUnits(us, SECOND, 'tcp_keepalive_time'),
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_keepalive_intvl',
    field: 'keepaliveIntvl',
    unit: 'seconds',
    min: 1,
    max: 32_767,
    meaning: 'time between unanswered keepalive probes, without TCP_KEEPINTVL',
    toField: (s) => s * SECOND,
    fromField: (us) => wholeUnits(us, SECOND, 'tcp_keepalive_intvl'),
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_keepalive_probes',
    field: 'keepaliveProbes',
    unit: 'a count',
    min: 1,
    max: 127,
    meaning: 'unanswered keepalive probes before the reset, without TCP_KEEPCNT',
    toField: (n) => n,
    fromField: (n) => n,
  }),
  modelled({
    sysctl: 'net.ipv4.tcp_syncookies',
    field: 'syncookies',
    unit: '0 or 1',
    min: 0,
    // 2 (cookies for every SYN) is not modelled
    max: 1,
    meaning: '1: a SYN that finds the SYN queue full is answered with a SYN cookie instead of being dropped',
    toField: (v) => v === 1,
    fromField: (on) => (on ? 1 : 0),
  }),
  modelled({
    sysctl: 'net.core.somaxconn',
    field: 'somaxconn',
    unit: 'a count',
    min: 1,
    max: INT_MAX,
    meaning: 'cap on listen() backlogs',
    toField: (n) => n,
    fromField: (n) => (n > INT_MAX ? { reason: 'no cap on backlogs has no sysctl: somaxconn is at most 2147483647' } : n),
  }),
  ignored('net.ipv4.tcp_abort_on_overflow', '0 or 1', 0, 1, 'RST instead of a dropped final ACK when the accept queue is full; the model drops (the default, 0)'),
  ignored('net.ipv4.tcp_max_syn_backlog', 'a count', 0, INT_MAX, 'matters only without SYN cookies (its last quarter is kept for peers proven alive); the model limits the SYN queue by the backlog alone'),
];

const BY_SYSCTL: ReadonlyMap<string, SysctlRow> = new Map(SYSCTL_TABLE.map((r) => [r.sysctl, r] as const));

/** The row of a dotted sysctl name, if tcpsim knows it. */
export function sysctlRow(sysctl: string): SysctlRow | undefined {
  return BY_SYSCTL.get(sysctl);
}

/** The row whose sysctl decides `field`, if any. */
export function sysctlForField(field: string): SysctlRow | undefined {
  return SYSCTL_TABLE.find((r) => r.field === field);
}

/** The rows the model follows. */
export const MODELLED_SYSCTLS: readonly SysctlRow[] = SYSCTL_TABLE.filter((r) => r.field !== null);

/**
 * Profile fields no sysctl decides: compiled into Linux, so real mode can only run them at
 * Linux's value. A field in neither this list nor the table is treated the same way.
 */
export const LINUX_FIXED_FIELDS: Readonly<Partial<Record<keyof ProfileOverrides, string>>> = {
  timeWait: 'TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, compiled into Linux',
  synRto: 'the first SYN timeout is TCP_TIMEOUT_INIT, 1 s, compiled into Linux',
  delAck: 'the ACK of a FIN is delayed by TCP_ATO_MIN, 40 ms, compiled into Linux',
  rstOnUnreadClose: "Linux's tcp_close() always sends RST when received data is unread",
  synReopensTimeWait: "a newer SYN always ends a TIME_WAIT on a listening port in Linux's tcp_timewait_state_process (with or without tcp_timestamps)",
  synRetryAfterBadAck: "Linux's tcp_rcv_synsent_state_process always resends the SYN after TCP_TIMEOUT_MIN on an unacceptable ACK",
  rcvBuf: 'the receive buffer comes from net.ipv4.tcp_rmem (three values), which real mode does not set',
  hz: "the timer wheel's tick is CONFIG_HZ, compiled into the kernel (250 here)",
  rxCost: "how long the kernel takes to receive a segment is the machine's, not a setting",
  wakeLatency: "how soon a woken program runs is the machine's scheduler's, not a setting",
};

/** The profile values a scenario's sysctls stand for (rows the model ignores and unknown names add nothing). */
export function overridesFromSysctls(sysctls: Readonly<Record<string, number>>): ProfileOverrides {
  let out: ProfileOverrides = {};
  for (const [name, value] of Object.entries(sysctls)) {
    const row = BY_SYSCTL.get(name);
    if (row !== undefined) out = { ...out, ...row.toProfile(value) };
  }
  return out;
}

/** A sysctl of a scenario that the model does not follow, and why. */
export interface IgnoredSysctl {
  readonly sysctl: string;
  readonly why: string;
}

/** The scenario's sysctls that `tcpsim run` ignores: rows the model does not follow, and names tcpsim does not know. */
export function ignoredSysctls(sysctls: Readonly<Record<string, number>>): IgnoredSysctl[] {
  return Object.keys(sysctls).flatMap((name) => {
    const row = BY_SYSCTL.get(name);
    if (row === undefined) return [{ sysctl: name, why: 'not a sysctl tcpsim knows' }];
    return row.field === null ? [{ sysctl: name, why: row.meaning }] : [];
  });
}
