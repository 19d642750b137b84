import { describe, expect, it } from 'vitest';
import { da } from '../i18n/da.ts';
import { en } from '../i18n/en.ts';
import { translator } from '../i18n/test-translator.ts';
import { formatDateTime } from '../ui/dates.ts';
import {
  type ApproveChallenge,
  approveText,
  awaitingSecondOfficer,
  type CloseChallenge,
  closeText,
  type FundingChallenge,
  type FundingRequest,
  fundingOutcomeText,
  fundingText,
  isOwnRequest,
  needsEnrolment,
  type OfficerSignature,
  orderedSignatures,
  type ProposeChallenge,
  proposeText,
  type ReclaimChallenge,
  reclaimText,
  relayBody,
  requestedByText,
  signatureText,
} from './officer-signing.ts';

const tDa = translator(da);
const tEn = translator(en);
const signed = { deadline: 1_760_000_600, digest: `0x${'cd'.repeat(32)}` };
const assertion = {
  credentialId: 'Y3JlZA',
  authenticatorData: 'YXV0aA',
  clientDataJSON: 'Y2xpZW50',
  signature: 'c2ln',
};

describe('relayBody', () => {
  it('sends the step’s fields, the challenge’s deadline and the four assertion fields, never the digest', () => {
    const propose: ProposeChallenge = { ...signed, periodId: 4, totalOre: '150050', providerCount: 2 };
    const body = relayBody({ periodId: 4, totalOre: propose.totalOre }, propose, {
      ...assertion,
      userHandle: 'dropped',
    } as typeof assertion);
    expect(body).toEqual({ periodId: 4, totalOre: '150050', deadline: 1_760_000_600, assertion });
    expect(Object.keys(body.assertion)).toHaveLength(4);
    expect(body).not.toHaveProperty('digest');
    expect(body).not.toHaveProperty('providerCount');
  });

  it('carries only the deadline and assertion for a step without fields (approve, reclaim)', () => {
    expect(relayBody({}, signed, assertion)).toEqual({ deadline: 1_760_000_600, assertion });
  });

  it('keeps the funding’s amount and request id as the challenge was asked', () => {
    const body = relayBody({ amountOre: '2500000', requestId: 'r-1' }, signed, assertion);
    expect(body).toMatchObject({ amountOre: '2500000', requestId: 'r-1', deadline: 1_760_000_600 });
  });
});

describe('needsEnrolment', () => {
  it('leads to Mine adgangsnøgler for a missing, foreign or demo key, not for other refusals', () => {
    expect(needsEnrolment({ code: 'PASSKEY_REQUIRED' })).toBe(true);
    expect(needsEnrolment({ code: 'PASSKEY_NOT_ENROLLED' })).toBe(true);
    expect(needsEnrolment({ code: 'PASSKEY_DEVELOPMENT_KEY_REFUSED' })).toBe(true);
    for (const code of ['PASSKEY_ASSERTION_INVALID', 'OFFICER_SIGNATURE_EXPIRED', 'FUNDING_SELF_APPROVAL'])
      expect(needsEnrolment({ code })).toBe(false);
  });
});

describe('what each step signs, in plain words', () => {
  it('closing a period', () => {
    const close: CloseChallenge = { ...signed, periodId: 7 };
    expect(closeText(tDa, close)).toBe(
      'Når du bekræfter, lukkes periode 7. Nye indløsninger går derefter til næste periode, og periode 7 kan afstemmes og afregnes. Det kan ikke fortrydes.',
    );
    expect(closeText(tEn, close)).toMatch(/^When you confirm, period 7 is closed\. .* cannot be undone\.$/);
  });

  it('proposing states the reconciled total and the providers, singular and plural', () => {
    const propose: ProposeChallenge = { ...signed, periodId: 4, totalOre: '150050', providerCount: 2 };
    expect(proposeText(tDa, propose, 'da')).toBe(
      'Du bekræfter, at du har afstemt periode 4: 1.500,50 kr. til 2 udbydere, og at det er det beløb, der skal udbetales. En anden økonomimedarbejder skal derefter godkende.',
    );
    expect(proposeText(tEn, { ...propose, providerCount: 1 }, 'en')).toBe(
      'You confirm that you have reconciled period 4: DKK 1,500.50 to 1 provider, and that this is the amount to pay out. Another finance officer must then approve.',
    );
  });

  it('approving names the proposer, the total and the period', () => {
    const approve: ApproveChallenge = {
      ...signed,
      settlementId: '3',
      periodId: 4,
      totalOre: '40050',
      proposedBy: 'demo.finance1',
    };
    expect(approveText(tDa, approve, 'da')).toBe(
      'demo.finance1 har foreslået at udbetale 400,50 kr. for periode 4. Når du bekræfter, godkender du afregningen, og udbyderne kan derefter få pengene udbetalt.',
    );
    expect(approveText(tEn, approve, 'en')).toMatch(/^demo\.finance1 has proposed paying out DKK 400\.50/);
  });

  const funding = (overrides: Partial<FundingChallenge> = {}): FundingChallenge => ({
    ...signed,
    programId: '1',
    amountOre: '123450',
    requestId: 'r-1',
    secondOfficer: false,
    needsSecondOfficer: false,
    limitOre: '10000000',
    ...overrides,
  });

  it('funding by one officer below the limit', () => {
    expect(fundingText(tDa, funding(), 'Børnepakke', 'da')).toBe(
      'Du tilfører 1.234,50 kr. til Børnepakke. Når du bekræfter, lægges beløbet som eKrone i ordningens depot.',
    );
  });

  it('funding above the limit says a second officer must approve', () => {
    const text = fundingText(
      tDa,
      funding({ amountOre: '15000000', needsSecondOfficer: true }),
      'Sport',
      'da',
    );
    expect(text).toBe(
      'Du tilfører 150.000,00 kr. til Sport. Beløbet er over 100.000,00 kr., som én medarbejder må tilføre alene. Når du bekræfter, skal en anden økonomimedarbejder godkende, før pengene tilføres.',
    );
    expect(
      fundingText(tEn, funding({ amountOre: '15000000', needsSecondOfficer: true }), 'Sport', 'en'),
    ).toContain('above DKK 100,000.00, which one officer may add alone');
  });

  it('the second officer reads who asked, and that their signature adds the money', () => {
    const second = funding({ amountOre: '15000000', needsSecondOfficer: true, secondOfficer: true });
    expect(fundingText(tDa, second, 'Sport', 'da', 'demo.finance1')).toBe(
      'demo.finance1 har bedt om at tilføre 150.000,00 kr. til Sport. Du godkender som anden medarbejder. Når du bekræfter, tilføres pengene.',
    );
    expect(fundingText(tEn, second, 'Sport', 'en')).toMatch(
      /^Another officer has asked to add DKK 150,000\.00/,
    );
  });

  it('reclaiming names the escrow and the accounts', () => {
    const reclaim: ReclaimChallenge = { ...signed, programId: '2', escrowOre: '500000', accountCount: 3 };
    expect(reclaimText(tDa, reclaim, 'Sommerferie', 'da')).toBe(
      'Sommerferie er udløbet. 5.000,00 kr. i ordningens depot og ubrugte tildelinger på 3 konti føres tilbage til kommunekassen. Allerede indløste beløb udbetales stadig til udbyderne.',
    );
    expect(reclaimText(tEn, { ...reclaim, accountCount: 1 }, 'Summer', 'en')).toContain(
      'unused grants on 1 account go back',
    );
  });

  it('says nothing a person would not understand', () => {
    for (const texts of [da.signing, en.signing]) {
      const all = JSON.stringify(texts).toLowerCase();
      for (const jargon of ['digest', 'challenge', 'assertion', 'webauthn', 'deadline', 'hash'])
        expect(all).not.toContain(jargon);
    }
  });
});

describe('who signed what', () => {
  const signatures: OfficerSignature[] = [
    {
      step: 'approve',
      username: 'demo.finance2',
      deviceName: 'Bos telefon',
      signedAt: '2026-03-03T09:15:00Z',
    },
    {
      step: 'close',
      username: 'demo.finance1',
      deviceName: 'Kontorets bærbare',
      signedAt: '2026-03-01T08:00:00Z',
    },
    {
      step: 'propose',
      username: 'demo.finance1',
      deviceName: 'Kontorets bærbare',
      signedAt: '2026-03-02T08:00:00Z',
    },
  ];

  it('lists the steps in the order they happen', () => {
    expect(orderedSignatures(signatures).map((signature) => signature.step)).toEqual([
      'close',
      'propose',
      'approve',
    ]);
    expect(orderedSignatures(undefined)).toEqual([]);
  });

  it('names the officer and the device of their passkey', () => {
    const [approve] = signatures as [OfficerSignature];
    expect(signatureText(tDa, approve, 'da')).toBe(
      `Godkendt af demo.finance2 med adgangsnøglen "Bos telefon", ${formatDateTime(approve.signedAt, 'da')}`,
    );
    expect(signatureText(tEn, { ...approve, step: 'bank-confirmation' }, 'en')).toBe(
      `Completed on chain by demo.finance2 with the passkey "Bos telefon", ${formatDateTime(approve.signedAt, 'en')}`,
    );
    expect(signatureText(tDa, { ...approve, step: 'something-new' }, 'da')).toMatch(/^something-new af /);
  });
});

describe('funding by two officers', () => {
  const request = (overrides: Partial<FundingRequest>): FundingRequest => ({
    requestId: 'r',
    amountOre: '15000000',
    status: 'awaiting-second-officer',
    proposedBy: 'demo.finance1',
    approvedBy: null,
    createdAt: '2026-03-01T08:00:00Z',
    ...overrides,
  });

  it('lists the requests that wait for a second officer, oldest first', () => {
    const items = [
      { program: 'A', request: request({ requestId: 'late', createdAt: '2026-03-02T08:00:00Z' }) },
      { program: 'A', request: request({ requestId: 'done', status: 'funded' }) },
      { program: 'B', request: request({ requestId: 'early', createdAt: '2026-03-01T07:00:00Z' }) },
      { program: 'B', request: request({ requestId: 'sent', status: 'pending' }) },
    ];
    expect(awaitingSecondOfficer(items).map((item) => item.request.requestId)).toEqual(['early', 'late']);
  });

  it('names who asked with the device of the passkey they signed on', () => {
    const signature = {
      step: 'fund',
      username: 'demo.finance1',
      deviceName: 'Kontorets bærbare',
      signedAt: '',
    };
    expect(requestedByText(tDa, request({ signatures: [signature] }))).toBe(
      'demo.finance1 med adgangsnøglen "Kontorets bærbare"',
    );
    expect(requestedByText(tEn, request({ signatures: [] }))).toBe('demo.finance1');
  });

  it('knows the officer who asked, by username or staff id', () => {
    expect(isOwnRequest(request({}), { username: 'demo.finance1', staffId: '5' })).toBe(true);
    expect(isOwnRequest(request({ proposedBy: '5' }), { username: 'x', staffId: '5' })).toBe(true);
    expect(isOwnRequest(request({}), { username: 'demo.finance2', staffId: '6' })).toBe(false);
    expect(isOwnRequest(request({}), undefined)).toBe(false);
  });

  it('says what happened: added, waiting for a second officer, or on its way', () => {
    expect(fundingOutcomeText(tDa, { status: 'funded' }, 123_450n, 'Børnepakke', 'da')).toBe(
      '1.234,50 kr. er tilført Børnepakke.',
    );
    expect(fundingOutcomeText(tDa, { status: 'awaiting-second-officer' }, '15000000', 'Sport', 'da')).toBe(
      'Du har bedt om at tilføre 150.000,00 kr. til Sport. En anden økonomimedarbejder skal godkende, før pengene tilføres.',
    );
    expect(fundingOutcomeText(tDa, { status: 'rejected' }, '100', 'Sport', 'da')).toBe(
      'Blokkæden afviste tilførslen af 1,00 kr. til Sport. Intet er tilført.',
    );
    expect(fundingOutcomeText(tEn, { status: 'pending' }, '100', 'Sport', 'en')).toBe(
      'Adding DKK 1.00 to Sport has been sent to the chain and is confirmed shortly.',
    );
  });
});

describe('texts', () => {
  const codes = [
    'SETTLEMENT_TOTAL_CHANGED',
    'FUNDING_SELF_APPROVAL',
    'OFFICER_SIGNATURE_EXPIRED',
    'PASSKEY_NOT_ENROLLED',
    'PASSKEY_ASSERTION_INVALID',
    'PASSKEY_DEVELOPMENT_KEY_REFUSED',
    'PASSKEY_REQUIRED',
  ] as const;

  it('explain every refusal of a signed step in Danish and English', () => {
    for (const code of codes) {
      expect(da.errors[code], code).toBeTruthy();
      expect(en.errors[code], code).toBeTruthy();
      expect(da.errors[code]).not.toBe(en.errors[code]);
    }
  });

  it('ask the officer to confirm with their passkey', () => {
    expect(da.signing.sign).toBe('Bekræft med din adgangsnøgle');
    expect(en.signing.sign).toBe('Confirm with your passkey');
  });
});
