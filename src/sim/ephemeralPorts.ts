/**
 * Ephemeral ports, chosen as Linux chooses them for connect(): per destination, since a local
 * port may be reused towards another address or port (the 4-tuple differs), from the profile's
 * ip_local_port_range; a port is free again once its connection is gone from the kernel (TIME_WAIT
 * included). When every port towards a destination is taken, connect() fails with EADDRNOTAVAIL.
 *
 * Each choice costs O(1): ports never used towards the destination come from a cursor, in order
 * (32768, 32769, …), and released ones from a queue, oldest first — no scan of the range, which
 * made connect() cost O(range) once the range filled up. The table remembers which destinations
 * ran out, for the diagnosis.
 */
import type { Endpoint } from '../model/segment.js';

/** A destination that ran out of ports: when first, and how many connect() calls failed for it. */
export interface PortExhaustion {
  readonly host: number;
  readonly destination: Endpoint;
  /** Virtual time of the first failure, microseconds. */
  readonly firstAt: number;
  failures: number;
}

/** The ports of one local address towards one destination. */
class DestinationPorts {
  private next: number;
  /** Released ports, a ring buffer that grows as needed. */
  private freed = new Int32Array(16);
  private head = 0;
  private count = 0;
  /** One bit per port this table handed out and not yet got back (a Set churned its hash table with every connection). */
  private readonly taken = new Uint32Array(65536 / 32);

  constructor(
    low: number,
    private readonly high: number,
    private readonly reserved: (port: number) => boolean,
  ) {
    this.next = low;
  }

  /** A free port, or -1 when all are taken. */
  take(): number {
    while (this.next <= this.high) {
      const port = this.next++;
      if (this.reserved(port)) continue;
      this.mark(port);
      return port;
    }
    // a released port a listener has since bound is passed over, once round the queue at most
    for (let tries = this.count; tries > 0; tries--) {
      const port = this.shift();
      if (!this.reserved(port)) {
        this.mark(port);
        return port;
      }
      this.push(port);
    }
    return -1;
  }

  /** Gives `port` back (its connection is gone); ports this table did not hand out are ignored. */
  give(port: number): void {
    const bit = 1 << (port & 31);
    const word = port >>> 5;
    if ((this.taken[word]! & bit) === 0) return;
    this.taken[word]! &= ~bit;
    this.push(port);
  }

  private mark(port: number): void {
    this.taken[port >>> 5]! |= 1 << (port & 31);
  }

  private push(port: number): void {
    if (this.count === this.freed.length) {
      const grown = new Int32Array(this.freed.length * 2);
      for (let i = 0; i < this.count; i++) grown[i] = this.freed[(this.head + i) % this.freed.length]!;
      this.freed = grown;
      this.head = 0;
    }
    this.freed[(this.head + this.count) % this.freed.length] = port;
    this.count++;
  }

  private shift(): number {
    const port = this.freed[this.head]!;
    this.head = (this.head + 1) % this.freed.length;
    this.count--;
    return port;
  }
}

/** Every host's ephemeral ports, by destination. */
export class EphemeralPortTable {
  private readonly byHost: Map<Endpoint, DestinationPorts>[] = [];
  private readonly exhausted = new Map<DestinationPorts, PortExhaustion>();

  /**
   * `range` is ip_local_port_range; `reserved(host, port)` says whether a listener holds the port.
   * Destinations are compared by identity: the World keeps one Endpoint object per address and port.
   */
  constructor(
    private readonly range: readonly [number, number],
    private readonly reserved: (host: number, port: number) => boolean,
  ) {}

  /** A local port on `host` for a connection to `destination` at time `now`, or -1 (EADDRNOTAVAIL). */
  take(host: number, destination: Endpoint, now: number): number {
    const ports = this.portsOf(host, destination);
    const port = ports.take();
    if (port < 0) {
      const known = this.exhausted.get(ports);
      if (known === undefined) this.exhausted.set(ports, { host, destination, firstAt: now, failures: 1 });
      else known.failures++;
    }
    return port;
  }

  /** The connection from `port` on `host` to `destination` is gone: the port is free again. */
  give(host: number, destination: Endpoint, port: number): void {
    this.byHost[host]?.get(destination)?.give(port);
  }

  /** The destinations that ran out of ports, in the order they first did. */
  exhaustions(): readonly PortExhaustion[] {
    return [...this.exhausted.values()];
  }

  private portsOf(host: number, destination: Endpoint): DestinationPorts {
    let byDestination = this.byHost[host];
    if (byDestination === undefined) this.byHost[host] = byDestination = new Map();
    let ports = byDestination.get(destination);
    if (ports === undefined) {
      ports = new DestinationPorts(this.range[0], this.range[1], (port) => this.reserved(host, port));
      byDestination.set(destination, ports);
    }
    return ports;
  }
}
