/**
 * The teaching page: the lesson (one connection, stepped through on a state diagram and a
 * sequence diagram, its segments' fates in the student's hands) and the many-connections view.
 * Every change runs the model again from the start; the page keeps no state of its own but the
 * choices and the step it shows.
 */
import { RFC_SPELLING, TCP_STATES, type TcpState } from '../../src/model/states.js';
import { clock } from '../../src/report/clock.js';
import { segmentText } from '../../src/report/rfcTable.js';
import { relativeSeq } from '../../src/report/relativeSeq.js';
import type { Scenario } from '../../src/scenario/types.js';
import { figure5 } from '../common/figure5.js';
import { ladder, type Ladder } from '../common/ladder.js';
import { STATE_COLOR } from '../common/stateColors.js';
import { svg } from '../common/svg.js';
import { DELAY, runLesson, type CloseStyle, type Intervention, type LessonRun } from './lesson.js';
import { runMany, type ManyChoices, type ManyRun } from './manyConnections.js';
import { lessonSteps, stepTime, type Step } from './steps.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`teach: no #${id}`);
  return el as T;
}

const CLIENT_COLOR = '#1d4ed8';
const SERVER_COLOR = '#c2410c';
const FATES: readonly { readonly value: string; readonly text: string; readonly intervention?: Intervention }[] = [
  { value: 'deliver', text: 'deliver' },
  { value: 'drop', text: 'drop', intervention: { kind: 'drop' } },
  { value: 'delay', text: `delay ${DELAY / 1e6} s`, intervention: { kind: 'delay', by: DELAY } },
  { value: 'duplicate', text: 'duplicate', intervention: { kind: 'duplicate' } },
];

// ───────────────────────────── one connection ─────────────────────────────

const lesson = {
  close: 'normal' as CloseStyle,
  profile: 'linux' as 'linux' | 'rfc9293',
  interventions: new Map<number, Intervention>(),
  run: undefined as LessonRun | undefined,
  steps: [] as Step[],
  at: 0,
  drawn: undefined as Ladder | undefined,
  diagram: undefined as ReturnType<typeof figure5> | undefined,
  timer: undefined as number | undefined,
};

function rerunLesson(): void {
  const run = runLesson({ profile: lesson.profile, close: lesson.close, interventions: lesson.interventions });
  lesson.run = run;
  lesson.steps = lessonSteps(run);
  lesson.diagram = figure5(run.profile);
  byId('diagram').replaceChildren(lesson.diagram.svg);
  lesson.drawn = ladder(run.trace, 0, { endAt: run.endAt, gapFrom: 20_000 });
  byId('ladder').replaceChildren(lesson.drawn.svg);
  const slider = byId<HTMLInputElement>('timeline');
  slider.max = String(lesson.steps.length - 1);
  drawSegments(run);
  document.body.dataset['runs'] = String(Number(document.body.dataset['runs'] ?? '0') + 1);
  showStep(0);
}

function drawSegments(run: LessonRun): void {
  const body = byId('segments').querySelector('tbody');
  if (body === null) return;
  const sends = run.trace.events.flatMap((e) => (e.kind === 'send' ? [e] : []));
  const role = new Map(run.trace.sockets.map((s) => [s.id, s.role]));
  const sideOf = (socket: number): 'A' | 'B' => (role.get(socket) === 'client' ? 'A' : 'B');
  const numbers = relativeSeq(sends.map((e) => ({ segment: e.segment, sender: sideOf(e.socket) })));
  const rows = run.sendOrder.map((id, i) => {
    const send = sends.find((e) => e.segmentId === id);
    const n = i + 1;
    const tr = document.createElement('tr');
    tr.dataset['segment'] = String(n);
    const cell = (text: string, code = false): HTMLTableCellElement => {
      const td = document.createElement('td');
      if (code) {
        const c = document.createElement('code');
        c.textContent = text;
        td.append(c);
      } else td.textContent = text;
      return td;
    };
    const select = document.createElement('select');
    select.setAttribute('aria-label', `Fate of segment ${n}`);
    for (const f of FATES) {
      const option = document.createElement('option');
      option.value = f.value;
      option.textContent = f.text;
      select.append(option);
    }
    select.value = lesson.interventions.get(n)?.kind ?? 'deliver';
    select.addEventListener('change', () => {
      const fate = FATES.find((f) => f.value === select.value)?.intervention;
      if (fate === undefined) lesson.interventions.delete(n);
      else lesson.interventions.set(n, fate);
      rerunLesson();
    });
    const fateCell = document.createElement('td');
    fateCell.append(select);
    const sender = send === undefined ? '' : (role.get(send.socket) ?? '');
    tr.append(
      cell(String(n)),
      cell(send === undefined ? '' : stepTime(send.at)),
      cell(sender),
      cell(send === undefined ? '' : segmentText(send.segment, numbers(send.segment, sideOf(send.socket))) + (send.retransmission ? ' (retransmission)' : ''), true),
      fateCell,
    );
    return tr;
  });
  body.replaceChildren(...rows);
}

function showStep(i: number): void {
  const steps = lesson.steps;
  if (steps.length === 0) return;
  lesson.at = Math.max(0, Math.min(steps.length - 1, i));
  const step = steps[lesson.at]!;
  const put = (end: 'client' | 'server', state: TcpState | undefined): void => {
    const el = document.querySelector<HTMLElement>(`[data-endpoint="${end}"] .state`);
    if (el === null) return;
    el.textContent = state === undefined ? '—' : RFC_SPELLING[state];
    el.style.color = state === undefined ? '' : STATE_COLOR[state];
  };
  put('client', step.client);
  put('server', step.server);
  byId('step-text').textContent = step.text;
  byId('step-count').textContent = `step ${lesson.at + 1} of ${steps.length}`;
  byId<HTMLInputElement>('timeline').value = String(lesson.at);
  document.body.dataset['step'] = String(lesson.at);
  document.body.dataset['eventIndex'] = String(step.eventIndex);
  lesson.diagram?.show([
    { label: 'client', state: step.client, from: step.clientFrom, color: CLIENT_COLOR },
    { label: 'server', state: step.server, from: step.serverFrom, color: SERVER_COLOR },
  ]);
  // the ladder's row of this step (or of the last drawn event before it)
  const drawn = lesson.drawn;
  if (drawn !== undefined) {
    drawn.svg.querySelector('.current-row')?.remove();
    let row: { y: number; height: number } | undefined;
    for (let k = lesson.at; k >= 0 && row === undefined; k--) row = drawn.rowOf.get(steps[k]!.event);
    if (row !== undefined) {
      const band = svg('rect', { x: 0, y: row.y, width: '100%', height: row.height, class: 'current-row' });
      drawn.svg.insertBefore(band, drawn.svg.children[1] ?? null);
      const box = byId('ladder');
      if (row.y < box.scrollTop || row.y > box.scrollTop + box.clientHeight - 40) box.scrollTop = Math.max(0, row.y - 80);
    }
  }
  const sent = step.event.kind === 'send' ? step.event.segmentId : step.event.kind === 'drop' ? step.event.segmentId : undefined;
  const n = sent === undefined ? undefined : (lesson.run?.sendOrder.indexOf(sent) ?? -1) + 1;
  for (const tr of byId('segments').querySelectorAll('tr')) tr.classList.toggle('now', n !== undefined && tr.dataset['segment'] === String(n));
}

function setPlaying(on: boolean): void {
  const button = byId('play');
  if (lesson.timer !== undefined) window.clearInterval(lesson.timer);
  lesson.timer = undefined;
  if (on) {
    lesson.timer = window.setInterval(() => {
      if (lesson.at >= lesson.steps.length - 1) setPlaying(false);
      else showStep(lesson.at + 1);
    }, 700);
  }
  button.textContent = on ? '⏸ pause' : '▶ play';
  button.setAttribute('aria-label', on ? 'Pause' : 'Play');
}

function wireLesson(): void {
  const form = byId<HTMLFormElement>('choices');
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.name === 'close') lesson.close = target.value as CloseStyle;
    else if (target.name === 'profile') lesson.profile = target.value === 'rfc9293' ? 'rfc9293' : 'linux';
    else return;
    lesson.interventions.clear();
    rerunLesson();
  });
  byId('reset-network').addEventListener('click', () => {
    lesson.interventions.clear();
    rerunLesson();
  });
  byId('first').addEventListener('click', () => showStep(0));
  byId('back').addEventListener('click', () => showStep(lesson.at - 1));
  byId('forward').addEventListener('click', () => showStep(lesson.at + 1));
  byId('last').addEventListener('click', () => showStep(lesson.steps.length - 1));
  byId('play').addEventListener('click', () => setPlaying(lesson.timer === undefined));
  byId<HTMLInputElement>('timeline').addEventListener('input', (e) => showStep(Number((e.target as HTMLInputElement).value)));
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    if (e.key === 'ArrowRight' || e.key === 'j') showStep(lesson.at + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'k') showStep(lesson.at - 1);
    else return;
    e.preventDefault();
  });
  rerunLesson();
}

// ───────────────────────────── many connections ─────────────────────────────

const many = { run: undefined as ManyRun | undefined, timer: undefined as number | undefined };

function drawHistogram(run: ManyRun, index: number): void {
  const sample = run.samples[index];
  if (sample === undefined) return;
  const states = TCP_STATES.filter((s) => s !== 'CLOSED');
  const max = Math.max(1, ...run.samples.flatMap((x) => states.map((s) => x.states[s] ?? 0)));
  const rowH = 24;
  const label = 110;
  const width = 520;
  const bars = states.map((s, i) => {
    const n = sample.states[s] ?? 0;
    const w = ((width - label - 60) * n) / max;
    return svg(
      'g',
      { 'data-state': s },
      svg('text', { x: label - 6, y: i * rowH + 16, 'text-anchor': 'end' }, RFC_SPELLING[s]),
      svg('rect', { x: label, y: i * rowH + 4, width: Math.max(0, w), height: rowH - 8, fill: STATE_COLOR[s] }),
      svg('text', { x: label + w + 6, y: i * rowH + 16, class: 'count' }, String(n)),
    );
  });
  byId('histogram').replaceChildren(svg('svg', { viewBox: `0 0 ${width} ${states.length * rowH}` }, ...bars));
  const fds = sample.fds[run.server] ?? 0;
  const closed = sample.closedFds[run.server] ?? 0;
  const gauge = byId<HTMLMeterElement>('fd-gauge');
  gauge.max = run.nofile;
  gauge.optimum = 0;
  gauge.low = run.nofile * 0.7;
  gauge.high = run.nofile * 0.9;
  gauge.value = fds;
  byId('fd-label').textContent = `${run.server}'s fds`;
  byId('fd-text').textContent = `${fds} of ${run.nofile} fds open${closed > 0 ? `, ${closed} of them on sockets already CLOSED (netstat shows nothing for them)` : ''} · ${run.accepted} connections accepted in all`;
  const emfile = run.emfileAt !== undefined && sample.t >= run.emfileAt;
  byId('emfile-text').textContent = run.emfileAt === undefined ? 'No EMFILE in this run.' : emfile ? `EMFILE at ${clock(run.emfileAt)}: accept() failed, the fd table is full.` : `EMFILE is coming at ${clock(run.emfileAt)}.`;
  byId('many-time-out').textContent = clock(sample.t);
  byId<HTMLInputElement>('many-time').value = String(index);
  document.body.dataset['manyIndex'] = String(index);
}

function wireMany(scenarios: Record<string, Scenario>): void {
  const program = byId<HTMLSelectElement>('program');
  for (const name of Object.keys(scenarios)) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = `${name} — ${scenarios[name]?.description ?? ''}`;
    program.append(option);
  }
  const clients = byId<HTMLInputElement>('clients');
  const nofile = byId<HTMLInputElement>('nofile');
  const rerun = byId<HTMLInputElement>('rerun');
  const slider = byId<HTMLInputElement>('many-time');
  const rerunMany = (): void => {
    const base = scenarios[program.value];
    if (base === undefined) return;
    const choices: ManyChoices = { program: program.value, clients: Number(clients.value), nofile: Number(nofile.value), rerun: rerun.checked };
    byId('clients-out').textContent = clients.value;
    byId('nofile-out').textContent = nofile.value;
    many.run = runMany(base, choices);
    slider.max = String(many.run.samples.length - 1);
    const at = Math.min(Number(slider.value), many.run.samples.length - 1);
    drawHistogram(many.run, at);
    document.body.dataset['manyRuns'] = String(Number(document.body.dataset['manyRuns'] ?? '0') + 1);
  };
  byId('many-choices').addEventListener('change', rerunMany);
  for (const range of [clients, nofile]) range.addEventListener('input', () => (byId(`${range.id}-out`).textContent = range.value));
  slider.addEventListener('input', () => many.run && drawHistogram(many.run, Number(slider.value)));
  const play = byId('many-play');
  play.addEventListener('click', () => {
    if (many.timer !== undefined) {
      window.clearInterval(many.timer);
      many.timer = undefined;
      play.textContent = '▶ play';
      play.setAttribute('aria-label', 'Play');
      return;
    }
    if (Number(slider.value) >= Number(slider.max)) slider.value = '0';
    play.textContent = '⏸ pause';
    play.setAttribute('aria-label', 'Pause');
    many.timer = window.setInterval(() => {
      const next = Number(slider.value) + 1;
      if (many.run === undefined || next > Number(slider.max)) {
        play.click();
        return;
      }
      drawHistogram(many.run, next);
    }, 120);
  });
  rerunMany();
}

function start(): void {
  wireLesson();
  const scenarios = JSON.parse(byId('scenarios').textContent ?? '{}') as Record<string, Scenario>;
  wireMany(scenarios);
  document.body.dataset['ready'] = 'true';
}

start();
