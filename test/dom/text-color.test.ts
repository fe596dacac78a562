import { describe, expect, it } from 'vitest';
import { paletteName, TEXT_COLORS } from '../../renderer/src/features/composer/text-color';

describe('text colours', () => {
  it('recognises the palette however the browser writes the colour, and nothing else', () => {
    expect(paletteName('rgb(192, 57, 43)')).toBe('red');
    expect(paletteName('#1F5FBF')).toBe('blue');
    expect(paletteName(TEXT_COLORS.grey)).toBe('grey');
    // Anything else (a paste from elsewhere, a crafted draft) is not kept as a colour.
    expect(paletteName('rgb(255, 255, 254)')).toBeUndefined();
    expect(paletteName('expression(alert(1))')).toBeUndefined();
    expect(paletteName('')).toBeUndefined();
  });
});
