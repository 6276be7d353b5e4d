/** Times for people: clock readings (`0:25`, `1:02:03`, `0:00.250`) and spans (`60 s`, `2 min`, `250 ms`). */

/** A clock reading for people: `0:25`, `1:02:03`, `0:00.250`. */
export function clock(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const frac = ms % 1000 === 0 ? '' : `.${String(Math.round(ms % 1000)).padStart(3, '0')}`;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}${frac}`;
}

/** Seconds for people: `60 s`, `2 min`, `250 ms`. */
export function span(micros: number): string {
  if (micros % 60_000_000 === 0 && micros >= 120_000_000) return `${micros / 60_000_000} min`;
  if (micros >= 1_000_000) return `${+(micros / 1_000_000).toFixed(1)} s`;
  return `${+(micros / 1000).toFixed(1)} ms`;
}
