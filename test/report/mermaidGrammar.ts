/**
 * Strict checkers for the subset of Mermaid (and DOT) the reporters emit. Stricter than Mermaid
 * itself: any character Mermaid could read as syntax must arrive as an entity code, indentation
 * must follow `rect` nesting, every participant or state must be declared before use. Blank lines
 * are allowed, as in Mermaid and DOT (the CLI ends its output with one).
 * Each checker returns the list of problems (empty when the text is well formed).
 */

const ID = '[A-Za-z][A-Za-z0-9_]*';
const ENTITY = /#(?:lt|gt|amp|quot|\d{1,6});/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Problems with a label: raw syntax characters, stray `#`, control characters, emptiness. */
function checkText(text: string, where: string): string[] {
  const problems: string[] = [];
  if (text.trim() === '') problems.push(`${where}: empty text`);
  const bare = text.replace(ENTITY, '');
  const bad = /[#;<>&"%:{}\\`]|[\u0000-\u001f\u007f\u2028\u2029]/.exec(bare);
  if (bad !== null) problems.push(`${where}: unescaped ${JSON.stringify(bad[0])} in ${JSON.stringify(text)}`);
  return problems;
}

/** The text Mermaid renders for a label (entity codes decoded). */
export function decodeMermaidText(text: string): string {
  return text.replace(ENTITY, (entity) => {
    const body = entity.slice(1, -1);
    return NAMED[body] ?? String.fromCodePoint(Number(body));
  });
}

function lines(text: string, header: string): { body: string[]; problems: string[] } {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('does not end with a newline');
  const all = text.replace(/\n$/, '').split('\n');
  if (all[0] !== header) problems.push(`first line is ${JSON.stringify(all[0])}, not ${header}`);
  return { body: all.slice(1).map((line) => (line.trim() === '' ? '' : line)), problems };
}

/** Checks a `sequenceDiagram` made of participants, notes, `->>`/`-x`/`-)` messages and `rect … end`. */
export function checkMermaidSequence(text: string): string[] {
  const { body, problems } = lines(text, 'sequenceDiagram');
  const participants = new Set<string>();
  let depth = 0;
  let messagesStarted = false;
  body.forEach((line, i) => {
    if (line === '') return;
    const where = `line ${i + 2}`;
    const expectIndent = (indent: string, level: number): void => {
      if (indent !== '    '.repeat(level)) problems.push(`${where}: indent ${indent.length}, expected ${4 * level}`);
    };
    const known = (id: string): void => {
      if (!participants.has(id)) problems.push(`${where}: undeclared participant ${id}`);
    };
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^( *)participant (${ID}) as (.*)$`).exec(line))) {
      const [, indent = '', id = '', alias = ''] = m;
      expectIndent(indent, 1);
      if (messagesStarted) problems.push(`${where}: participant after messages`);
      if (participants.has(id)) problems.push(`${where}: participant ${id} declared twice`);
      participants.add(id);
      problems.push(...checkText(alias, where));
    } else if ((m = new RegExp(`^( *)Note over (${ID})(?:,(${ID}))?: (.*)$`).exec(line))) {
      const [, indent = '', first = '', second, note = ''] = m;
      expectIndent(indent, depth + 1);
      known(first);
      if (second !== undefined) known(second);
      messagesStarted = true;
      problems.push(...checkText(note, where));
    } else if ((m = new RegExp(`^( *)(${ID})(->>|-x|-\\))(${ID}): (.*)$`).exec(line))) {
      const [, indent = '', from = '', , to = '', message = ''] = m;
      expectIndent(indent, depth + 1);
      known(from);
      known(to);
      messagesStarted = true;
      problems.push(...checkText(message, where));
    } else if ((m = /^( *)rect rgb\((\d{1,3}), (\d{1,3}), (\d{1,3})\)$/.exec(line))) {
      const [, indent = '', ...rgb] = m;
      expectIndent(indent, depth + 1);
      if (rgb.some((c) => Number(c) > 255)) problems.push(`${where}: colour out of range`);
      if (depth > 0) problems.push(`${where}: nested rect`);
      depth++;
    } else if ((m = /^( *)end$/.exec(line))) {
      depth--;
      if (depth < 0) problems.push(`${where}: end without rect`);
      else expectIndent(m[1] ?? '', depth + 1);
    } else {
      problems.push(`${where}: not in the grammar: ${JSON.stringify(line)}`);
    }
  });
  if (depth > 0) problems.push('rect not closed');
  if (participants.size === 0) problems.push('no participants');
  return problems;
}

const STATE_RESERVED = new Set(['state', 'note', 'end', 'direction', 'classDef', 'class', 'style', 'hide', 'as', 'left', 'right', 'of', 'over']);

/** Checks a `stateDiagram-v2` made of state declarations, `[*] --> X` and `X --> Y: label`. */
export function checkMermaidStateDiagram(text: string): string[] {
  const { body, problems } = lines(text, 'stateDiagram-v2');
  const states = new Set<string>();
  const declare = (id: string, where: string): void => {
    if (STATE_RESERVED.has(id)) problems.push(`${where}: reserved word ${id} used as a state id`);
    if (states.has(id)) problems.push(`${where}: state ${id} declared twice`);
    states.add(id);
  };
  const known = (id: string, where: string): void => {
    if (!states.has(id)) problems.push(`${where}: undeclared state ${id}`);
  };
  body.forEach((line, i) => {
    if (line === '') return;
    const where = `line ${i + 2}`;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^    (${ID})$`).exec(line))) {
      declare(m[1] ?? '', where);
    } else if ((m = new RegExp(`^    state "([^"]*)" as (${ID})$`).exec(line))) {
      problems.push(...checkText(m[1] ?? '', where));
      declare(m[2] ?? '', where);
    } else if ((m = new RegExp(`^    \\[\\*\\] --> (${ID})$`).exec(line))) {
      known(m[1] ?? '', where);
    } else if ((m = new RegExp(`^    (${ID}) --> (${ID})(?:: (.*))?$`).exec(line))) {
      known(m[1] ?? '', where);
      known(m[2] ?? '', where);
      if (m[3] !== undefined) problems.push(...checkText(m[3], where));
    } else {
      problems.push(`${where}: not in the grammar: ${JSON.stringify(line)}`);
    }
  });
  return problems;
}

const DOT_STRING = '"(?:[^"\\\\\\n]|\\\\.)*"';

/** The value of a DOT quoted string. */
export function decodeDotString(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Checks a `digraph` made of quoted node statements and labelled quoted edges. */
export function checkDot(text: string): string[] {
  const problems: string[] = [];
  const all = text.replace(/\n+$/, '').split('\n');
  if (!new RegExp(`^digraph ${DOT_STRING} \\{$`).test(all[0] ?? '')) problems.push('bad digraph header');
  if (all.at(-1) !== '}') problems.push('not closed');
  const nodes = new Set<string>();
  for (const [i, line] of all.slice(1, -1).entries()) {
    if (line.trim() === '') continue;
    const where = `line ${i + 2}`;
    let m: RegExpExecArray | null;
    if (/^  node \[shape=box, style=rounded\];$/.test(line)) continue;
    if ((m = new RegExp(`^  (${DOT_STRING})(?: \\[shape=point, label=""\\]| \\[label=${DOT_STRING}\\])?;$`).exec(line))) {
      nodes.add(m[1] ?? '');
    } else if ((m = new RegExp(`^  (${DOT_STRING}) -> (${DOT_STRING})(?: \\[label=${DOT_STRING}\\]| \\[style=invis\\])?;$`).exec(line))) {
      for (const n of [m[1] ?? '', m[2] ?? '']) if (!nodes.has(n)) problems.push(`${where}: undeclared node ${n}`);
    } else if ((m = new RegExp(`^  \\{ rank=same; ((?:${DOT_STRING}; )+)\\}$`).exec(line))) {
      for (const n of (m[1] ?? '').split('; ').filter((n) => n !== '')) if (!nodes.has(n.replace(/;$/, ''))) problems.push(`${where}: undeclared node ${n}`);
    } else {
      problems.push(`${where}: not in the grammar: ${JSON.stringify(line)}`);
    }
  }
  return problems;
}
