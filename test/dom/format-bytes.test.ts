import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../renderer/src/lib/format';

// One convention for sizes everywhere: decimal units, as their names say. 150,000 bytes read
// "146 kB" (divided by 1024 under a decimal name) next to limits counted in KiB.
describe('sizes', () => {
  it('are decimal: a kilobyte is 1000 bytes, a megabyte a million', () => {
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(1000, 'en')).toBe('1 kB');
    expect(formatBytes(1500, 'en')).toBe('1.5 kB');
    expect(formatBytes(150_000, 'en')).toBe('150 kB');
    expect(formatBytes(25_000_000, 'en')).toBe('25 MB');
    expect(formatBytes(1_250_000, 'en')).toBe('1.3 MB');
  });
  it('are written the language’s way', () => {
    expect(formatBytes(150_000, 'ru')).toBe('150 кБ');
    expect(formatBytes(1_500_000, 'ru')).toBe('1,5 МБ');
    expect(formatBytes(1_500_000, 'es')).toBe('1,5 MB');
  });
});
