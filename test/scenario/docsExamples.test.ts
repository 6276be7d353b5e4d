import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';

const DOC = readFileSync('docs/scenario-format.md', 'utf8');
const blocks = [...DOC.matchAll(/```(yaml|json)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));

describe('docs/scenario-format.md', () => {
  test('its complete YAML example loads', () => {
    const complete = blocks.find((b) => b.text.startsWith('# yaml-language-server'));
    expect(complete).toBeDefined();
    const s = loadScenarioText(complete?.text ?? '', 'scenarios/article-java-forgot-close.yaml');
    expect(s.processes.map((p) => p.name)).toEqual(['server', 'client']);
    expect(s.expectations).toHaveLength(2);
  });

  test('its JSON example loads', () => {
    const json = blocks.find((b) => b.lang === 'json');
    const s = loadScenarioText(json?.text ?? '', 'x.json');
    expect(s.processes[1]?.client?.connections).toBe(10);
  });

  test('its profile, listen and fault snippets are valid where they belong', () => {
    const profile = blocks.find((b) => b.text.startsWith('profile:'))?.text ?? '';
    const faults = blocks.find((b) => b.text.startsWith('faults:'))?.text ?? '';
    const base = 'processes:\n  s: { listen: 8888, onConnection: [ close ] }\n';
    expect(loadScenarioText(`${profile}${faults}${base}`, 'x.yaml').profileOverrides.finTimeout).toBe(30_000_000);
  });
});
