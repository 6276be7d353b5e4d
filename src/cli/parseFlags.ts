/**
 * The command line of one command: `--name value`, `--name=value`, `-o value`, booleans, `--`,
 * and positionals. A string option always takes the next word as its value, so `--seed -1` is
 * the value -1 (judged later), not a puzzle about dashes. Mistakes are UsageErrors in our words,
 * with a "did you mean" for a misspelt option.
 */
import { suggest } from '../scenario/suggest.js';
import { UsageError } from './usageError.js';

/** One option a command accepts. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The option may be given more than once; its values are collected in order. */
  readonly multiple?: boolean;
  /** A one-letter alias, without the dash. */
  readonly short?: string;
}

/** The options of a command, by long name (without the dashes). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The value type of each option: text, a list of texts, or true. */
export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]?: S[K] extends { readonly type: 'boolean' } ? boolean : S[K] extends { readonly multiple: true } ? string[] : string;
};

/** What the parser found: option values and the other words, in order. */
export interface ParsedFlags<S extends FlagSpecs> {
  readonly values: FlagValues<S>;
  readonly positionals: string[];
}

/** Parses `argv` for `tcpsim COMMAND`; throws UsageError for an unknown option or a missing value. */
export function parseFlags<S extends FlagSpecs>(command: string, argv: readonly string[], specs: S): ParsedFlags<S> {
  const values: Record<string, string | string[] | boolean> = {};
  const positionals: string[] = [];
  const shorts = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short !== undefined) shorts.set(spec.short, name);
  const set = (name: string, spec: FlagSpec, value: string | boolean): void => {
    if (spec.multiple === true && typeof value === 'string') {
      const list = values[name];
      values[name] = Array.isArray(list) ? [...list, value] : [value];
    } else values[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const long = word.startsWith('--');
    const eq = word.indexOf('=');
    const written = long ? word.slice(2, eq < 0 ? undefined : eq) : word.slice(1, 2);
    const name = long ? written : shorts.get(written);
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined || !Object.prototype.hasOwnProperty.call(specs, name)) {
      throw unknownFlag(command, word, specs);
    }
    const inline = long ? (eq < 0 ? undefined : word.slice(eq + 1)) : word.length > 2 ? word.slice(2).replace(/^=/, '') : undefined;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} is a switch and takes no value (found "${word}")`);
      set(name, spec, true);
      continue;
    }
    if (inline !== undefined) {
      set(name, spec, inline);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined) throw new UsageError(`--${name} needs a value${example(name)}`);
    set(name, spec, next);
    i++;
  }
  return { values: values as FlagValues<S>, positionals };
}

/** The error for an option `command` does not have, with the closest one it does. */
export function unknownFlag(command: string, word: string, specs: FlagSpecs | readonly string[]): UsageError {
  const names = Array.isArray(specs) ? (specs as readonly string[]) : Object.keys(specs);
  const bare = word.replace(/^-+/, '').replace(/=.*$/, '');
  const close = suggest(bare, names);
  const hint = close === undefined ? '' : `; did you mean --${close}?`;
  return new UsageError(`tcpsim ${command} has no option ${word.replace(/=.*$/, '')}${hint}\nIts options: ${names.map((n) => `--${n}`).join(', ')}`);
}

function example(name: string): string {
  const examples: Readonly<Record<string, string>> = {
    seed: ' such as --seed 7',
    param: ' such as --param clients=200',
    every: ' such as --every 5s',
    until: ' such as --until 35m',
    profile: ': linux or rfc9293',
    pcap: ': a file name, or - for stdout',
    output: ': a file name, or - for stdout',
    format: '',
    conn: ' such as --conn 0',
  };
  return examples[name] ?? '';
}
