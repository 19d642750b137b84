import { describe, expect, it } from 'vitest';
import { formatOre, parseKronerInput } from './kroner.ts';

describe('parseKronerInput', () => {
  it('reads Danish kroner with comma decimals and dot thousands exactly', () => {
    expect(parseKronerInput('1.500,00', 'da')).toBe(150_000n);
    expect(parseKronerInput('1500,5', 'da')).toBe(150_050n);
    expect(parseKronerInput('0,01', 'da')).toBe(1n);
    expect(parseKronerInput('150', 'da')).toBe(15_000n);
    expect(parseKronerInput(' 2.000.000,99 kr. ', 'da')).toBe(200_000_099n);
    expect(parseKronerInput('12 345,10', 'da')).toBe(1_234_510n);
  });

  it('keeps amounts beyond a double exact', () => {
    expect(parseKronerInput('90071992547409,93', 'da')).toBe(9_007_199_254_740_993n);
  });

  it('reads English kroner with dot decimals', () => {
    expect(parseKronerInput('1,500.25', 'en')).toBe(150_025n);
    expect(parseKronerInput('DKK 10.5', 'en')).toBe(1_050n);
  });

  it('rejects what is not an amount', () => {
    for (const text of ['', ',', '1,234', '1.50', '1.5000,00', '-5', '1,001', 'abc', '1e3', '10,', '1,,0']) {
      expect(parseKronerInput(text, 'da'), text).toBeUndefined();
    }
    expect(parseKronerInput('1.001', 'en')).toBeUndefined();
  });
});

describe('formatOre', () => {
  it('formats the Danish way', () => {
    expect(formatOre(150_000n, 'da')).toBe('1.500,00 kr.');
    expect(formatOre('5', 'da')).toBe('0,05 kr.');
    expect(formatOre('123456789', 'da')).toBe('1.234.567,89 kr.');
  });

  it('formats the English way', () => {
    expect(formatOre(150_000n, 'en')).toBe('DKK 1,500.00');
  });
});
