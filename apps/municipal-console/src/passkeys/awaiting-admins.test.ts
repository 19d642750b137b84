import { describe, expect, it } from 'vitest';
import { da } from '../i18n/da.ts';
import { en } from '../i18n/en.ts';
import { translator } from '../i18n/test-translator.ts';
import { type AwaitingAdmins, changeText, roleText, rowKey, shortAddress } from './awaiting-admins.ts';

const tDa = translator(da);
const tEn = translator(en);

describe('roleText', () => {
  it('names the two officer roles in words, in Danish and English', () => {
    expect(roleText(tDa, 'FINANCE_OFFICER_ROLE')).toBe('Økonomimedarbejder');
    expect(roleText(tDa, 'TREASURY_ROLE')).toBe('Kasserer');
    expect(roleText(tEn, 'FINANCE_OFFICER_ROLE')).toBe('Finance officer');
    expect(roleText(tEn, 'TREASURY_ROLE')).toBe('Treasury');
  });

  it('shows a role it does not know as the chain names it', () => {
    expect(roleText(tDa, 'AUDITOR_ROLE')).toBe('AUDITOR_ROLE');
  });
});

describe('changeText', () => {
  it.each([
    ['grant', 'Giv rolle', 'Grant role'],
    ['revoke', 'Fjern rolle', 'Revoke role'],
  ] as const)('%s', (change, danish, english) => {
    expect(changeText(tDa, change)).toBe(danish);
    expect(changeText(tEn, change)).toBe(english);
  });
});

describe('shortAddress', () => {
  it('keeps the start and end of an account address', () => {
    expect(shortAddress('0x1234567890abcdef1234567890ABCDEF12345678')).toBe('0x1234…5678');
  });

  it('leaves anything that is not an address as it is', () => {
    expect(shortAddress('0x1234')).toBe('0x1234');
  });
});

describe('rowKey', () => {
  it('tells apart two roles waiting for the same passkey', () => {
    const entry: AwaitingAdmins = {
      passkeyId: '7c7f5d0e-2f4b-4c8e-9a4e-3f1c2b7d9e10',
      username: 'demo.finance1',
      deviceName: 'Annes bærbare',
      address: `0x${'ab'.repeat(20)}`,
      change: 'grant',
      role: 'FINANCE_OFFICER_ROLE',
      call: { to: `0x${'cd'.repeat(20)}`, data: '0x' },
    };
    expect(rowKey(entry)).not.toBe(rowKey({ ...entry, role: 'TREASURY_ROLE' }));
  });
});
