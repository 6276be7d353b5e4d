/** What the HTML report's script reads from the page (the `tcpsim-data` element): the run's numbers. */
import type { TcpState } from '../../model/states.js';

/** The run, as the report's charts and explorer need it. Times in milliseconds of virtual time. */
export interface ReportData {
  readonly name: string;
  readonly untilMs: number;
  /** Sample times. */
  readonly t: readonly number[];
  /** Live sockets per state at each sample (states that ever appear, CLOSED left out). */
  readonly states: readonly { readonly state: TcpState; readonly counts: readonly number[] }[];
  /** Each shown process's open fds and its limit; `closedFds`: of those, fds on sockets already CLOSED. */
  readonly processes: readonly { readonly name: string; readonly nofile: number; readonly fds: readonly number[]; readonly closedFds: readonly number[] }[];
  /** Instants worth a line on the charts: the first EMFILE, an accept loop that ended, the first EADDRNOTAVAIL. */
  readonly markers: readonly { readonly t: number; readonly label: string; readonly kind: 'EMFILE' | 'accept' | 'EADDRNOTAVAIL' }[];
  /** Connections in the run, and how many of them (the first ones) the packed trace holds. */
  readonly connections: number;
  readonly tracedConnections: number;
  /** The command that shows any connection. */
  readonly command: string;
}
