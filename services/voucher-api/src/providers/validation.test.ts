import { describe, expect, it } from 'vitest';
import { parseCvr, parseDanishIban } from './validation.ts';

describe('parseCvr', () => {
  // Weighted sums (2,7,6,5,4,3,2,1) of these are multiples of 11.
  it.each(['10150817', '25313763', '29189463'])('accepts %s', (cvr) => {
    expect(parseCvr(cvr)).toBe(cvr);
  });

  it('trims surrounding whitespace', () => {
    expect(parseCvr(' 10150817 ')).toBe('10150817');
  });

  it.each([
    '10150818', // checksum off by one
    '01501817', // leading zero
    '1015081', // 7 digits
    '101508170', // 9 digits
    '1015 0817',
    'DK10150817',
    '',
    '1015081a',
  ])('rejects %j with CVR_INVALID', (cvr) => {
    expect(() => parseCvr(cvr)).toThrow(expect.objectContaining({ code: 'CVR_INVALID' }));
  });
});

describe('parseDanishIban', () => {
  it('accepts the electronic form', () => {
    expect(parseDanishIban('DK5000400440116243')).toEqual({
      electronic: 'DK5000400440116243',
      friendly: 'DK50 0040 0440 1162 43',
    });
  });

  it('normalises spaces and lowercase', () => {
    expect(parseDanishIban(' dk50 0040 0440 1162 43 ').electronic).toBe('DK5000400440116243');
  });

  it.each([
    'DK5000400440116244', // checksum
    'DK500040044011624', // too short
    'NL91ABNA0417164300', // valid, but not Danish
    'DE89370400440532013000', // valid, but not Danish
    'DK50-0040-0440-1162-43', // separators other than spaces
    'DK50 0040 0440 1162 4X',
    '',
  ])('rejects %j with IBAN_INVALID', (iban) => {
    expect(() => parseDanishIban(iban)).toThrow(expect.objectContaining({ code: 'IBAN_INVALID' }));
  });
});
