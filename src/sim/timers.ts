/**
 * Starting and stopping a socket's timers. Each timer slot has at most one live expiry in the
 * agenda: each start takes a new number, which the slot holds; restarting or stopping changes
 * the slot, and the old expiry, still in the agenda, then runs as a no-op. How long a
 * timer runs comes from the profile (backoff.ts); when it fires, the kernel's timer wheel
 * rounds it up (timerWheel.ts). What an expiry does is in expiry.ts.
 */
import { probeTimeout, rtoTimeout, synTimeout } from '../model/backoff.js';
import { TCP_STATES } from '../model/states.js';
import { wheelExpiry } from '../model/timerWheel.js';
import { WheelBucket } from './agenda.js';
import type { Kernel } from './kernel.js';
import { TIMER_SLOTS, setTimerOf, type Socket } from './socket.js';

/** Slot numbers of the engine's timers (TIMER_SLOTS order). */
export const SLOT_SYN_RTO = TIMER_SLOTS.indexOf('synRto');
export const SLOT_FIN_RTO = TIMER_SLOTS.indexOf('finRto');
export const SLOT_TWO_MSL = TIMER_SLOTS.indexOf('twoMsl');
export const SLOT_FIN_WAIT_2 = TIMER_SLOTS.indexOf('finWait2');
export const SLOT_DEL_ACK = TIMER_SLOTS.indexOf('delAck');
export const SLOT_DATA_RTO = TIMER_SLOTS.indexOf('dataRto');
export const SLOT_KEEPALIVE = TIMER_SLOTS.indexOf('keepalive');

const SYN_SENT = TCP_STATES.indexOf('SYN_SENT');

/** How long timer `slot` of `sock` runs when started now. */
export function timerDuration(k: Kernel, sock: Socket, slot: number): number {
  const p = k.profile;
  switch (slot) {
    case SLOT_SYN_RTO:
      return synTimeout(p, k.rfcState(sock) === SYN_SENT, sock.retries);
    case SLOT_TWO_MSL:
      return p.timeWait;
    case SLOT_FIN_WAIT_2:
      return p.finTimeout ?? Number.MAX_SAFE_INTEGER;
    case SLOT_DEL_ACK:
      return p.delAck ?? 0;
    default:
      return sock.probes > 0 ? probeTimeout(p, sock.probes) : rtoTimeout(p, sock.retries);
  }
}

/**
 * Starts (or restarts) a timer: a new queued expiry becomes the slot's live one; the old one is
 * left to run as a no-op. It fires `duration` from now, rounded up to the kernel's timer wheel
 * when the profile has one (timerWheel.ts), into its host's bucket for that instant; the
 * nominal duration names its queue lane.
 */
export function armTimer(k: Kernel, sock: Socket, slot: number, duration = timerDuration(k, sock, slot)): void {
  const seq = ++k.timerSeq;
  setTimerOf(sock, slot, seq);
  const hz = k.profile.hz;
  if (hz === null) {
    const alone = new WheelBucket(sock.host, k.now + duration);
    alone.entries.push(sock.id, slot, seq);
    return k.queue.push(alone.at, alone, duration);
  }
  const at = wheelExpiry(k.now, duration, hz, k.wheelOrigin);
  const host = k.hosts[sock.host]!;
  // the last bucket used, unless it has fired (fireBucket forgets it), when its instant matches
  let bucket = host.lastBucket !== null && host.lastBucket.at === at ? host.lastBucket : host.buckets.get(at);
  if (bucket === undefined) {
    bucket = new WheelBucket(sock.host, at);
    host.buckets.set(at, bucket);
    k.queue.push(at, bucket, duration);
  }
  host.lastBucket = bucket;
  bucket.entries.push(sock.id, slot, seq);
}

/** Stops a timer: its queued expiry, if any, will not fire. */
export function disarmTimer(sock: Socket, slot: number): void {
  setTimerOf(sock, slot, 0);
}
