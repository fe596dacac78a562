import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../../electron/core/outbox/transitions';

// docs/ARCHITECTURE.md shows the transitions table; transitions.ts is the table. They must agree.
describe('docs/ARCHITECTURE.md', () => {
  it('shows exactly the transitions table the outbox enforces', () => {
    const doc = readFileSync(new URL('../../docs/ARCHITECTURE.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('| action | from | to |'));
    const rows = section
      .split('\n')
      .slice(2)
      .filter((line) => line.startsWith('| '))
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    const shown = Object.fromEntries(rows.map(([action, from, to]) => [action, { from: from!.split(', '), to: to === 'same' ? 'same' : to!.split(', ') }]));
    expect(shown).toEqual(JSON.parse(JSON.stringify(TRANSITIONS)));
  });
});
