/** Connections `tcpsim run --html` records for the report's explorer, at most (the run's first ones, so a huge run stays quick). */
export const TRACED_CONNECTIONS = 5_000;
