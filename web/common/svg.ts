/** Building SVG with the DOM: an element with attributes and children, and text that never parses as markup. */

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element `tag` with `attrs`, holding `children` (strings become text nodes). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}
