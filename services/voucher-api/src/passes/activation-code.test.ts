import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_CODE_ALPHABET,
  activationCodeExpiry,
  formatActivationCode,
  generateActivationCode,
  hashActivationCode,
  normaliseActivationCode,
} from './activation-code.ts';

describe('activation codes', () => {
  it('uses an alphabet without look-alikes', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) {
      expect(ACTIVATION_CODE_ALPHABET).not.toContain(ambiguous);
    }
    expect(new Set(ACTIVATION_CODE_ALPHABET).size).toBe(ACTIVATION_CODE_ALPHABET.length);
  });

  it('generates 10 symbols from the alphabet, different each time', () => {
    const codes = new Set(Array.from({ length: 200 }, generateActivationCode));
    expect(codes.size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{10}$/);
    }
  });

  it('prints grouped 4-4-2 and reads back whatever the citizen types', () => {
    expect(formatActivationCode('ABCDEFGHJK')).toBe('ABCD-EFGH-JK');
    expect(normaliseActivationCode('abcd-efgh-jk')).toBe('ABCDEFGHJK');
    expect(normaliseActivationCode(' ABCD EFGH JK ')).toBe('ABCDEFGHJK');
  });

  it.each(['', 'ABCD-EFGH-J', 'ABCD-EFGH-JKM', 'ABCD-EFGH-J0', 'ABCD-EFGH-JO', 'ABCD_EFGH_JK'])(
    'rejects %j',
    (input) => {
      expect(() => normaliseActivationCode(input)).toThrow(
        expect.objectContaining({ code: 'ACTIVATION_CODE_INVALID' }),
      );
    },
  );

  it('stores a keyed hash, never the code', () => {
    const key = randomBytes(32);
    const hash = hashActivationCode(key, 'ABCDEFGHJK');
    expect(hash).toHaveLength(32);
    expect(hash.toString('latin1')).not.toContain('ABCDEFGHJK');
    expect(hash.equals(hashActivationCode(key, 'ABCDEFGHJK'))).toBe(true);
    expect(hash.equals(hashActivationCode(randomBytes(32), 'ABCDEFGHJK'))).toBe(false);
  });

  it('expires after 30 days', () => {
    expect(activationCodeExpiry(new Date('2027-01-01T00:00:00Z'))).toEqual(new Date('2027-01-31T00:00:00Z'));
  });
});
