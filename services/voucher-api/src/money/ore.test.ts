import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { formatKroner, parseKroner, parseOre } from './ore.ts';

function expectAmountInvalid(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('AMOUNT_INVALID');
    return;
  }
  throw new Error('expected AMOUNT_INVALID');
}

describe('parseOre', () => {
  it('reads digits as øre', () => {
    expect(parseOre('12550')).toBe(12550n);
    expect(parseOre('0')).toBe(0n);
  });

  it('keeps precision beyond Number.MAX_SAFE_INTEGER', () => {
    expect(parseOre('90071992547409931')).toBe(90071992547409931n);
  });

  it.each(['', '-1', '+1', '1.5', '1e3', ' 1', '1 ', '0x10', 'abc', '١٢'])('rejects %j', (text) => {
    expectAmountInvalid(() => parseOre(text));
  });

  it('rejects a non-string', () => {
    expectAmountInvalid(() => parseOre(12 as unknown as string));
  });
});

describe('parseKroner', () => {
  it.each([
    ['125.50', 12550n],
    ['125,50', 12550n],
    ['125', 12500n],
    ['125.5', 12550n],
    ['0,05', 5n],
    ['0', 0n],
    ['1500', 150000n],
  ])('reads %j as %s øre', (text, expected) => {
    expect(parseKroner(text)).toBe(expected);
  });

  it('is exact where floats are not', () => {
    expect(parseKroner('0.29')).toBe(29n);
    expect(parseKroner('1.13')).toBe(113n);
  });

  it.each([
    '',
    '125.505',
    '-125',
    '+125',
    '1e3',
    ' 125',
    '125 ',
    '1 250',
    'x125',
    '125.',
    '.50',
    '1.250,00',
    '125,5x',
  ])('rejects %j', (text) => {
    expectAmountInvalid(() => parseKroner(text));
  });
});

describe('formatKroner', () => {
  it('formats Danish with comma decimals and "kr."', () => {
    expect(formatKroner(15000n, 'da')).toBe('150,00 kr.');
    expect(formatKroner(150000n, 'da')).toBe('1.500,00 kr.');
    expect(formatKroner(5n, 'da')).toBe('0,05 kr.');
  });

  it('formats English with DKK first and point decimals', () => {
    expect(formatKroner(15000n, 'en')).toBe('DKK 150.00');
    expect(formatKroner(123456789n, 'en')).toBe('DKK 1,234,567.89');
  });

  it('shows negative amounts with a leading minus', () => {
    expect(formatKroner(-12550n, 'da')).toBe('-125,50 kr.');
    expect(formatKroner(-12550n, 'en')).toBe('-DKK 125.50');
  });

  it('round-trips with parseKroner', () => {
    expect(formatKroner(parseKroner('125,5'), 'da')).toBe('125,50 kr.');
  });
});
