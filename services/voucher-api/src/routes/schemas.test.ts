import { describe, expect, it } from 'vitest';
import { decimalUpTo, INT4_MAX, INT8_MAX } from './schemas.ts';

describe('decimalUpTo', () => {
  const int4 = new RegExp(`^${decimalUpTo(BigInt(INT4_MAX))}$`);
  const int8 = new RegExp(`^${decimalUpTo(INT8_MAX)}$`);

  it('takes 1 up to the bound and nothing beyond, without leading zeros', () => {
    for (const text of [
      '1',
      '9',
      '10',
      '999999999',
      '1999999999',
      '2047483647',
      '2147483639',
      '2147483647',
    ]) {
      expect(int4.test(text), text).toBe(true);
    }
    for (const text of [
      '0',
      '01',
      '2147483648',
      '2147483650',
      '2200000000',
      '9999999999',
      '21474836470',
      '-1',
    ]) {
      expect(int4.test(text), text).toBe(false);
    }
    expect(int8.test('9223372036854775807')).toBe(true);
    expect(int8.test('9223372036854775808')).toBe(false);
    expect(int8.test('10000000000000000000')).toBe(false);
  });

  it('agrees with a comparison of numbers on many values near and far from the bound', () => {
    const bound = BigInt(INT4_MAX);
    for (let step = 0; step < 5000; step++) {
      const near = bound - 2500n + BigInt(step);
      const far = BigInt(Math.floor(Math.random() * 1e6)) * 10n ** BigInt(step % 12) + 1n;
      for (const value of [near, far]) {
        expect(int4.test(value.toString()), value.toString()).toBe(value >= 1n && value <= bound);
      }
    }
  });
});
