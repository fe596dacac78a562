import { describe, expect, it } from 'vitest';
import { MailwrightError } from '../../electron/core/errors';
import { parseMergeData } from '../../electron/core/templates/merge/merge-data';

// A merge's data as people export it: CSV from Excel, LibreOffice or a script (any delimiter, a
// BOM, quoted fields), or a JSON array; another encoding is named at its line, never sent garbled.

const bytes = (s: string) => Buffer.from(s, 'utf8');
const refusal = (data: Uint8Array, name = 'data.csv') => {
  try {
    parseMergeData(data, name);
  } catch (err) {
    return (err as MailwrightError).info;
  }
  throw new Error('not refused');
};

describe('merge data', () => {
  it('reads CSV with a BOM, quoted fields and the delimiter its header uses', () => {
    const comma = parseMergeData(bytes('\uFEFFemail,name,note\r\na@x.test,"Núñez, José","said ""hi""\nthen left"\r\n'), 'd.csv');
    expect(comma).toEqual({ columns: ['email', 'name', 'note'], rows: [{ email: 'a@x.test', name: 'Núñez, José', note: 'said "hi"\nthen left' }] });
    expect(parseMergeData(bytes('email;name\nb@x.test;Пётр\n'), 'd.csv').rows).toEqual([{ email: 'b@x.test', name: 'Пётр' }]);
    expect(parseMergeData(bytes('email\tname\nc@x.test\tZoë\n\n'), 'd.csv').rows).toEqual([{ email: 'c@x.test', name: 'Zoë' }]);
  });

  it('names the line where a file stops being UTF-8', () => {
    const latin1 = Buffer.concat([bytes('email,name\na@x.test,Ana\n'), Buffer.from([0x62, 0x40, 0x78, 0x2e, 0x74, 0x2c, 0x4e, 0xfa, 0xf1, 0x65, 0x7a, 0x0a])]);
    expect(refusal(latin1, 'export.csv')).toMatchObject({ code: 'INVALID_INPUT', message: 'The data file "export.csv" is not UTF-8 (from line 3).' });
  });

  it('refuses a ragged row, a repeated column and a file without a header, each with a hint', () => {
    expect(refusal(bytes('email,name\na@x.test,Ana,extra\n'))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not valid CSV \(line 2\)/) });
    expect(refusal(bytes('email,email\na,b\n'))).toMatchObject({ message: expect.stringContaining('a column named "email" twice') });
    expect(refusal(bytes(''))).toMatchObject({ message: 'The data file "data.csv" has no header line.' });
  });

  it('reads a JSON array of objects, keeping nested objects for {{ a.b }}', () => {
    const data = parseMergeData(bytes(JSON.stringify([{ email: 'a@x.test', total: 12.5, vip: true, customer: { city: 'Sevilla' } }, { email: 'b@x.test', note: null }])), 'rows.json');
    expect(data.columns).toEqual(['email', 'total', 'vip', 'customer', 'note']);
    expect(data.rows).toEqual([
      { email: 'a@x.test', total: '12.5', vip: 'true', customer: { city: 'Sevilla' } },
      { email: 'b@x.test', note: '' },
    ]);
    expect(refusal(bytes('{"email": "a"}'), 'rows.json')).toMatchObject({ message: 'The data file "rows.json" is not a JSON array of objects.' });
    expect(refusal(bytes('[1, 2]'), 'rows.json')).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
