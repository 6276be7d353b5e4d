/**
 * The help text of each command, apart from the command itself, so that `tcpsim help run` and
 * `tcpsim run --help` print it without loading the engine, the loader or the reports.
 */

/** Help text of `tcpsim run`. */
export const RUN_HELP = `Usage: tcpsim run FILE [options]

Simulate a scenario over virtual time and print what \`netstat\` would show at
every sample, then a summary, a diagnosis and the scenario's expectations.
FILE is a scenario file or the name of a shipped one (see \`tcpsim list\`).

Options:
  --seed N              seed of the run, 0..4294967295 (default: the scenario's)
  --param NAME=VALUE    override a scenario parameter (repeatable)
  --profile P           linux or rfc9293 (default: the scenario's)
  --every DURATION      sampling interval, e.g. 5s (default: the scenario's)
  --until DURATION      end of the run, e.g. 35m (default: the scenario's)
  --json                one JSON document on stdout instead of text
  --quiet               summary only: no sample table, no progress
  --pcap OUT            also write every segment of the run to a pcapng file
                        (- for stdout; the report then goes to stderr)
  --allow-large         raise the guard-rail limits (huge runs)
  --no-color            no ANSI colours (NO_COLOR is respected too)
  -h, --help            this help

A run that takes more than 2 s reports its progress on stderr once a second.
A process's command: (a real program) is for tcpsim real only: tcpsim run
simulates the scenario's description of that process.

Exit status: 0 when every expectation holds, 1 when one fails, 2 for a usage
or scenario error, 141 when the reader of stdout went away.`;

/** Help text of `tcpsim list`. */
export const LIST_HELP = `Usage: tcpsim list

List the scenarios shipped with tcpsim, each with what it shows. Run one with
\`tcpsim run NAME\`; copy its file to start a scenario of your own.

Options:
  -h, --help    this help`;

/** Help text of `tcpsim trace`. */
export const TRACE_HELP = `Usage: tcpsim trace FILE [options]

Simulate a scenario and print one connection's life: every segment with its
sequence and acknowledgement numbers, every app call, timer and state change.

Options:
  --conn N            connection number (default 0, the first client connection)
  --format F          rfc (default): the layout of RFC 9293 Figures 12 and 13
                      mermaid: a sequenceDiagram
                      pcapng: a capture Wireshark opens (all connections unless --conn)
                      json: the raw trace events
  --absolute          rfc/mermaid: absolute sequence numbers instead of relative
  --time              rfc: add a time column
  -o, --output OUT    write to OUT instead of stdout (- is stdout; a file is
                      required for pcapng on a terminal)
  --seed, --param, --profile, --until, --allow-large   as for \`tcpsim run\`
  -h, --help          this help`;

/** Help text of `tcpsim diagram`. */
export const DIAGRAM_HELP = `Usage: tcpsim diagram [--profile linux|rfc9293] [--format mermaid|dot]

Print the TCP endpoint state diagram (RFC 9293 Figure 5) as tcpsim runs it:
generated from the xstate machine, so it cannot drift from the model. The
profiles differ: linux has the tcp_fin_timeout edge out of FIN_WAIT_2.

Options:
  --profile P    linux (default) or rfc9293
  --format F     mermaid (default, a stateDiagram-v2) or dot (Graphviz)
  -h, --help     this help`;
