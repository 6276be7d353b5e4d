/** Types of scripts/docs.mjs, for test/docs.test.ts. */

/** Runs the tcpsim command line with `args`; resolves to its stdout, rejects when it fails. */
export type Tcpsim = (args: readonly string[]) => Promise<string>;

/** The README's generated sections, in README order. */
export declare const SECTION_NAMES: readonly ['article', 'handshake'];

/** One generated section's name. */
export type SectionName = (typeof SECTION_NAMES)[number];

/** The body of every generated section, from tcpsim's output. */
export declare function readmeSections(tcpsim: Tcpsim): Promise<Record<SectionName, string>>;

/** The committed body of section `name` in `readme`; throws when its markers are missing. */
export declare function sectionOf(readme: string, name: SectionName): string;

/** `readme` with section `name`'s body replaced by `body`. */
export declare function withSection(readme: string, name: SectionName, body: string): string;
