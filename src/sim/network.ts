/**
 * The links between hosts (and loopback): latency, jitter, loss, duplication and reordering,
 * plus scheduled faults, all drawn from the run's seeded PRNG. Decides each segment's fate; the
 * engine schedules the deliveries.
 */
import { FIN, RST, SYN, type Segment } from '../model/segment.js';
import type { FaultSpec, NetworkSpec } from '../scenario/types.js';
import type { Prng } from './prng.js';

/** What happens to one transmitted segment. */
export interface Fate {
  /** Dropped by loss or a fault. */
  readonly lost: boolean;
  /** Delay of each delivered copy (two when duplicated). */
  readonly delays: readonly number[];
}

/** A perfect link: 50 µs, no loss. */
export const LOOPBACK: NetworkSpec = { latency: 50, jitter: 0, loss: 0, duplicate: 0, reorder: 0 };

function faultMatches(fault: FaultSpec, segment: Segment, now: number): boolean {
  if (now < fault.from || now >= fault.until) return false;
  if (fault.port !== undefined && segment.src.port !== fault.port && segment.dst.port !== fault.port) return false;
  switch (fault.match) {
    case 'any':
      return true;
    case 'fin':
      return (segment.flags & FIN) !== 0;
    case 'syn':
      return (segment.flags & SYN) !== 0;
    case 'rst':
      return (segment.flags & RST) !== 0;
    case 'data':
      return segment.payload.length > 0;
  }
}

/** The network of a run. */
export class Network {
  constructor(
    private readonly spec: NetworkSpec,
    private readonly faults: readonly FaultSpec[],
    private readonly prng: Prng,
  ) {
    const perfect = faults.length === 0 && spec.loss === 0 && spec.jitter === 0 && spec.reorder === 0 && spec.duplicate === 0;
    this.fixed = perfect ? { lost: false, delays: [spec.latency] } : null;
  }

  /** A perfect link's one answer, shared (no allocation per segment); null when anything can vary. */
  private readonly fixed: Fate | null;

  /** Decides the fate of `segment` sent at `now`. Draws from the PRNG only for non-zero probabilities. */
  fate(segment: Segment, now: number): Fate {
    if (this.fixed) return this.fixed;
    const { spec, prng } = this;
    for (const fault of this.faults) {
      if (faultMatches(fault, segment, now) && (fault.drop >= 1 || prng.next() < fault.drop)) return { lost: true, delays: [] };
    }
    if (spec.loss > 0 && prng.next() < spec.loss) return { lost: true, delays: [] };
    const delay = (): number => {
      let d = spec.latency;
      if (spec.jitter > 0) d += prng.int(spec.jitter + 1);
      // reordering: hold this segment back past the ones sent after it
      if (spec.reorder > 0 && prng.next() < spec.reorder) d += 2 * spec.latency + spec.jitter + 1;
      return d;
    };
    const first = delay();
    if (spec.duplicate > 0 && prng.next() < spec.duplicate) return { lost: false, delays: [first, delay()] };
    return { lost: false, delays: [first] };
  }
}
