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
  --html OUT            also write an HTML report: charts of the socket states
                        and fds, the summary, and a connection explorer; one
                        self-contained file that needs no network
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
                      mermaid: a sequenceDiagram, with "60 s later" notes where
                      time passes and each end's state when the run ends
                      pcapng: a capture Wireshark opens (all connections unless --conn)
                      json: the raw trace events
  --absolute          rfc/mermaid: absolute sequence numbers instead of relative
  --time              rfc: add a time column
  --compact           mermaid: draw runs of data segments or bare ACKs one way
                      as one message (for long traces)
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

/** Help text of `tcpsim watch`. */
export const WATCH_HELP = `Usage: tcpsim watch --pid PID [--pid PID…] [options]
       tcpsim watch --port PORT [options]
       tcpsim watch [options] -- CMD ARGS…

Watch a live process on this machine (Linux) the way the article's loop
  while true; do netstat -n | awk '/^tcp/ {++S[$NF]} END {for(a in S) print a, S[a]}'; sleep 5; done
watches the whole machine, but per process: its TCP sockets by state (those it
closed and no longer holds an fd for included), its local peers' sockets, its
listeners' accept queues, its fds against RLIMIT_NOFILE and when it will reach
it, and a diagnosis in plain words, live and at the end.

What to watch:
  --pid PID             a process (repeatable, or PID,PID…)
  --port PORT           the process(es) listening on PORT (repeatable)
  -- CMD ARGS…          start CMD, watch it and its children, stop when it exits;
                        Ctrl-C and SIGTERM are passed on to it (a third Ctrl-C
                        kills it); it gets SIGTERM if the watch ends first

Options:
  --every DURATION      sampling interval (default 5s, like the article's loop)
  --for DURATION        stop after this long (default: until Ctrl-C, or until
                        the watched processes exit)
  --json                one JSON object per sample as it is taken, then a
                        summary object (newline-delimited JSON)
  --record FILE         also write the timeline as one JSON document, with
                        samples shaped like \`tcpsim run --json\`'s, for
                        \`tcpsim compare FILE SCENARIO\`
  --no-color            no ANSI colours (NO_COLOR is respected too)
  -h, --help            this help

Read-only: it reads /proc and never signals or changes a process it did not
start. Without root it sees its own user's processes fully; for another user's
it says what it cannot see (/proc/PID/fd is not readable).
Exit status: 1 when a leak is diagnosed at the end (a socket stuck in
CLOSE_WAIT, fds held on sockets the kernel closed), 0 otherwise; with -- CMD,
the command's status when it exits with one that is not 0; 2 for a usage
error, 3 when this system has no /proc to read.`;

/** Help text of `tcpsim compare`. */
export const COMPARE_HELP = `Usage: tcpsim compare RECORDED.json SCENARIO [options]

Line up a recorded timeline (\`tcpsim watch --record\`, \`tcpsim watch --json\`, or
\`tcpsim run --json\`) with the model's run of a scenario: the socket counts by
state at every recorded sample against the model's at the same moment, so you
can check that a scenario describes your server before you reason with it.
The model's t = 0 is placed where it fits the recording best (--offset sets it).

Options:
  --param NAME=VALUE    override a scenario parameter (repeatable)
  --seed N, --profile P, --until DURATION, --allow-large   as for \`tcpsim run\`
  --offset DURATION     the model's t = 0 at this time of the recording
                        (default: searched)
  --window DURATION     a recorded count may match the model anywhere within
                        this much of its sample (default 100ms)
  --tolerance N         counts may differ by N sockets, or N% (default 0)
  --process NAME        compare only the scenario process NAME with the
                        recording's watched processes (default: every socket)
  --json                one JSON document on stdout
  -h, --help            this help

Exit status: 0 when every compared sample agrees, 1 when one does not, 2 for
a usage, file or scenario error.`;

/** Help text of `tcpsim teach`. */
export const TEACH_HELP = `Usage: tcpsim teach [--port N]

Serve the teaching page on 127.0.0.1 and print its URL: one connection
stepped through on the RFC 9293 state diagram, with segments you can drop,
delay or duplicate, and many connections filling a server's fd table. The
page runs the model itself and fetches nothing; open the URL in a browser.
Nothing is opened for you. Ctrl-C stops the server.

Options:
  --port N      the port (default 0: any free port)
  -h, --help    this help`;
