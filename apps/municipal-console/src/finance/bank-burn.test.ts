import { describe, expect, it } from 'vitest';
import type { Settlement } from '../api/types.ts';
import { da } from '../i18n/da.ts';
import { en } from '../i18n/en.ts';
import { translator } from '../i18n/test-translator.ts';
import {
  type BankConfirmationChallenge,
  bankConfirmationBody,
  bankConfirmedProviderIds,
  burnDialogText,
  burnOutcomeText,
  mayCompleteOnChain,
  needsEnrolment,
  sentence,
} from './bank-burn.ts';

const challenge = (overrides: Partial<BankConfirmationChallenge> = {}): BankConfirmationChallenge => ({
  settlementId: '3',
  periodId: 4,
  providerIds: [7, 9],
  totalOre: '150050',
  deadline: 1_760_000_600,
  digest: `0x${'ab'.repeat(32)}`,
  ...overrides,
});

const assertion = {
  credentialId: 'Y3JlZA',
  authenticatorData: 'YXV0aA',
  clientDataJSON: 'Y2xpZW50',
  signature: 'c2ln',
};

type Payout = Settlement['payouts'][number];
const payout = (overrides: Partial<Payout> = {}): Payout => ({
  providerId: 7,
  providerName: 'Demo Idrætsforening',
  amountOre: '15000',
  redemptionCount: 2,
  endToEndId: 'VOUCHER-M101-P1-PRV7',
  status: 'paid',
  paidTxHash: '0xabc',
  bankConfirmedAt: '2025-03-03T10:00:00Z',
  bankImportId: '1',
  ...overrides,
});
const settlement = (payouts: Payout[], status: Settlement['status'] = 'paid'): Settlement =>
  ({ id: '3', periodId: 4, status, payouts }) as Settlement;

describe('bankConfirmationBody', () => {
  it('sends the challenge’s providers and deadline with the four assertion fields', () => {
    const body = bankConfirmationBody(challenge(), { ...assertion, extra: 'dropped' } as typeof assertion);
    expect(body).toEqual({ providerIds: [7, 9], deadline: 1_760_000_600, assertion });
    expect(Object.keys(body.assertion)).toHaveLength(4);
  });

  it('keeps the providers in the challenge’s order and does not share its array', () => {
    const named = challenge({ providerIds: [9, 2, 5] });
    const body = bankConfirmationBody(named, assertion);
    expect(body.providerIds).toEqual([9, 2, 5]);
    body.providerIds.push(1);
    expect(named.providerIds).toEqual([9, 2, 5]);
  });
});

describe('which payouts may be completed on chain', () => {
  const confirmed = payout({ providerId: 7 });
  const awaiting = payout({ providerId: 8, bankConfirmedAt: null, bankImportId: null });
  const setOff = payout({ providerId: 9, amountOre: '0' });

  it('counts bank-confirmed payouts with an amount only', () => {
    expect(bankConfirmedProviderIds(settlement([confirmed, awaiting, setOff]))).toEqual([7]);
  });

  it('offers the button for a paid settlement with a confirmed payout not yet completed', () => {
    expect(mayCompleteOnChain(settlement([confirmed, awaiting]), new Set())).toBe(true);
    expect(mayCompleteOnChain(settlement([confirmed]), new Set([7]))).toBe(false);
    expect(mayCompleteOnChain(settlement([awaiting, setOff]), new Set())).toBe(false);
    expect(mayCompleteOnChain(settlement([confirmed], 'executing'), new Set())).toBe(false);
  });
});

describe('needsEnrolment', () => {
  it('leads to Mine adgangsnøgler for a missing or foreign passkey only', () => {
    expect(needsEnrolment({ code: 'PASSKEY_REQUIRED' })).toBe(true);
    expect(needsEnrolment({ code: 'PASSKEY_NOT_ENROLLED' })).toBe(true);
    expect(needsEnrolment({ code: 'PASSKEY_ASSERTION_INVALID' })).toBe(false);
    expect(needsEnrolment({ code: 'BANK_CONFIRMATION_STALE' })).toBe(false);
    expect(needsEnrolment(undefined)).toBe(false);
    expect(needsEnrolment(new Error('x'))).toBe(false);
  });
});

describe('sentence', () => {
  it('adds a full stop unless the text ends with one (as "kr." does)', () => {
    expect(sentence('i alt 1.500,50 kr.')).toBe('i alt 1.500,50 kr.');
    expect(sentence('DKK 1,500.50 in all')).toBe('DKK 1,500.50 in all.');
  });
});

describe('the dialog in plain words', () => {
  it('says in Danish what the bank confirmed and what signing does', () => {
    expect(burnDialogText(translator(da), challenge(), 'da')).toBe(
      'Banken har bekræftet 2 udbetalinger for periode 4, i alt 1.500,50 kr. Når du underskriver, udløses (brændes) de tilsvarende eKroner, så beholdningen igen svarer til kronerne i banken.',
    );
  });

  it('says it in English, and in the singular for one payout', () => {
    expect(burnDialogText(translator(en), challenge({ providerIds: [7], totalOre: '15000' }), 'en')).toBe(
      'The bank has confirmed 1 payout for period 4, DKK 150.00 in all. When you sign, the matching eKroner are released (burned), so the supply again equals the kroner in the bank.',
    );
    expect(burnDialogText(translator(da), challenge({ providerIds: [7] }), 'da')).toMatch(
      /^Banken har bekræftet 1 udbetaling for periode 4,/,
    );
  });
});

describe('the outcome', () => {
  const result = { providerIds: [7, 9], burnedOre: '150050', txHash: '0xfeed' };

  it('names the amount completed on chain', () => {
    expect(burnOutcomeText(translator(da), { ...result, status: 'burned' }, 'da')).toBe(
      'Afsluttet på kæden: 1.500,50 kr.',
    );
    expect(burnOutcomeText(translator(en), { ...result, status: 'burned' }, 'en')).toBe(
      'Completed on chain: DKK 1,500.50.',
    );
  });

  it('says the chain has not confirmed yet while it is pending', () => {
    expect(burnOutcomeText(translator(da), { ...result, status: 'pending', txHash: null }, 'da')).toBe(
      da.settlement.burn.pending,
    );
  });
});

describe('texts', () => {
  it('exist in Danish and English', () => {
    for (const texts of [da, en]) {
      const burn = texts.settlement.burn;
      for (const key of Object.keys(da.settlement.burn)) expect(burn[key as keyof typeof burn]).toBeTruthy();
      expect(texts.nav.passkeys).toBeTruthy();
    }
    expect(da.settlement.burn.start).toBe('Afslut på kæden med din adgangsnøgle');
    expect(en.settlement.burn.start).toBe('Complete on chain with your passkey');
  });
});
