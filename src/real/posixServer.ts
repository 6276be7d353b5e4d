/**
 * A POSIX-policy server for real mode (the article's Java/C/Go server): a small Python program
 * run under `prlimit --nofile=N:N`, because Node cannot be one. libuv answers EMFILE by accepting
 * and closing the connection (uv__emfile_trick); a C, Java or Go server's accept() just fails
 * with EMFILE and the connection waits in the kernel's accept queue, which is what fills the
 * backlog and leaves later clients in SYN_SENT. Python's socket.accept() is accept(2), so the
 * kernel decides exactly as it would for Java.
 *
 * Faithful to the scenario's fd arithmetic: before listening the program opens /dev/null until
 * it holds the scenario's `baselineFds` (Python itself holds 3: stdin/out/err), so its table is
 * baseline + listener + connections, as in the model. Reads take exactly what a step asks with
 * MSG_PEEK (unread bytes stay in the kernel, so close() with unread data sends RST by itself).
 * Same line protocol as programRunner.ts (JSON messages on stdout; on stdin the spec as one JSON
 * line, then `go <t0>`); argv holds only the baseline and what to do when accept() fails
 * (microseconds to wait before retrying, `never` to stop accepting, or `exit`).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CleanupRegistry } from './cleanup.js';
import { runSyncQuiet } from './runCommand.js';

const SOURCE = String.raw`
import errno, json, os, socket, struct, sys, threading, time

# the spec is the first line on stdin (argv holds at most 128 KiB per argument)
spec = json.loads(sys.stdin.buffer.readline().decode('utf-8'))
server = spec['server']
baseline = int(sys.argv[1])
on_error = sys.argv[2]
retry = None if on_error in ('never', 'exit') else int(on_error) / 1e6
out_lock = threading.Lock()
t0 = [time.time() * 1000]

def send(message):
    with out_lock:
        sys.stdout.write(json.dumps(message) + '\n')
        sys.stdout.flush()

def since():
    return int(time.time() * 1000 - t0[0])

latest_late = [0.0]

def sleep(seconds):
    # like time.sleep, reporting a new worst lateness to the parent (protocol message 'late')
    due = time.time() + seconds
    time.sleep(seconds)
    late = (time.time() - due) * 1000
    if late > latest_late[0] + 0.5:
        latest_late[0] = late
        send({'ev': 'late', 'ms': round(late, 1), 'at': since()})

def fail(code):
    send({'ev': 'error', 'conn': None, 'code': code, 'at': since()})

def read_step(s, amount, state):
    kind = amount['kind']
    try:
        if kind == 'bytes':
            data = s.recv(amount['count'], socket.MSG_WAITALL)
            if len(data) < amount['count'] and not state['eof']:
                state['eof'] = True
                send({'ev': 'eof', 'conn': None, 'at': since()})
            return True
        if kind == 'line':
            data = s.recv(65536, socket.MSG_PEEK)
            while True:
                i = data.find(b'\n')
                if i >= 0:
                    s.recv(i + 1, socket.MSG_WAITALL)
                    return True
                more = s.recv(len(data) + 1, socket.MSG_PEEK | socket.MSG_WAITALL)
                if len(more) <= len(data):
                    break
                data = s.recv(65536, socket.MSG_PEEK)
        while True:
            if s.recv(65536) == b'':
                break
        if not state['eof']:
            state['eof'] = True
            send({'ev': 'eof', 'conn': None, 'at': since()})
        return True
    except OSError as e:
        fail(errno.errorcode.get(e.errno, str(e.errno)))
        return False

def task(s):
    state = {'eof': False}
    for step in server['steps']:
        op = step['op']
        if op == 'read':
            if not read_step(s, step['amount'], state):
                return
        elif op == 'write':
            try:
                s.sendall(step['data'].encode('latin1'))
            except OSError as e:
                fail(errno.errorcode.get(e.errno, str(e.errno)))
                return
        elif op == 'sleep':
            sleep(step['duration'] / 1e6)
        elif op == 'shutdown':
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        elif op == 'close':
            s.close()
            return
        elif op == 'abort':
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            s.close()
            return
        elif op == 'exit':
            os._exit(0)
    # a task that ends without close keeps its fd (the article's bug)
    held.append(s)

held = []
busy = [0]
waiting = []
workers = server.get('workers')

def run(s):
    try:
        task(s)
    finally:
        with out_lock:
            busy[0] -= 1
            nxt = waiting.pop(0) if waiting else None
        if nxt is not None:
            dispatch(nxt)

def dispatch(s):
    with out_lock:
        if workers is not None and busy[0] >= workers:
            waiting.append(s)
            return
        busy[0] += 1
    threading.Thread(target=run, args=(s,), daemon=True).start()

def heartbeat():
    # a 10 ms timer whose lateness says how long this process waited to run (see programRunner.ts)
    while True:
        sleep(0.01)

def stdin_reader():
    for line in sys.stdin.buffer:
        if line.startswith(b'go '):
            t0[0] = float(line[3:])
            threading.Thread(target=heartbeat, daemon=True).start()
    os._exit(0)

import resource
limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
def slots_used():
    return len([fd for fd in os.listdir('/proc/self/fd') if int(fd) < limit]) - 1
pads = []
while slots_used() < baseline:
    pads.append(os.open('/dev/null', os.O_RDONLY))
listener = socket.socket(socket.AF_INET6 if ':' in spec['address'] else socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    listener.bind((spec['address'], server['port']))
    listener.listen(server['backlog'])
except OSError as e:
    send({'ev': 'fatal', 'message': 'listen on %s:%d: %s' % (spec['address'], server['port'], e)})
    sys.exit(3)
threading.Thread(target=stdin_reader, daemon=True).start()
send({'ev': 'listening', 'port': listener.getsockname()[1]})
while True:
    try:
        conn, _ = listener.accept()
    except OSError as e:
        if e.errno in (errno.EMFILE, errno.ENFILE):
            fail('EMFILE')
            if on_error == 'exit':
                os._exit(0)
            if retry is None:
                break
            sleep(retry)
            continue
        raise
    send({'ev': 'accepted', 'at': since()})
    dispatch(conn)
threading.Event().wait()
`;

/** The Python interpreter real mode uses, or null when there is none. */
export function findPython(): string | null {
  for (const candidate of ['/usr/bin/python3', '/usr/local/bin/python3']) if (existsSync(candidate)) return candidate;
  return runSyncQuiet(['python3', '-c', 'pass']).code === 0 ? 'python3' : null;
}

/** Writes the server program to a temporary directory the run's cleanup removes; returns its path. */
export function posixServerScript(registry: CleanupRegistry): string {
  const dir = mkdtempSync(join(tmpdir(), 'tcpsim-posix-'));
  registry.add(`posix server copy ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'posix_server.py');
  writeFileSync(script, SOURCE);
  return script;
}
