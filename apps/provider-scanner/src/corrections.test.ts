import { REVERSAL_TYPES, redemptionDomain } from '@voucher/contracts/redemption';
import { recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  correctionFor,
  type RedemptionLine,
  reversalMessage,
  reversalState,
  reversedKind,
} from './corrections.ts';
import { signReversal } from './signing.ts';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const TERMINAL = privateKeyToAccount(KEY).address;
const CHAIN = { chainId: 31337, hub: '0x5FbDB2315678afecb367f032d93F642f64180aa3' } as const;

function line(overrides: Partial<RedemptionLine> = {}): RedemptionLine {
  return {
    redemptionId: '7',
    terminal: TERMINAL.toLowerCase(),
    programName: 'Fritidspas 2027',
    amountOre: '15000',
    status: 'confirmed',
    periodId: '3',
    createdAt: '2027-03-01T10:00:00.000Z',
    reversedOre: '0',
    reversibleOre: '15000',
    voidable: true,
    signed: {
      id: '7',
      account: `0x${'ab'.repeat(32)}`,
      program: '2',
      provider: 1,
      amountOre: '15000',
      deadline: 1_800_000_000,
    },
    ...overrides,
  };
}

describe('correctionFor', () => {
  it('voids a confirmed line of the open period with nothing given back', () => {
    expect(correctionFor(line())).toBe('void');
  });

  it('refunds what is left once the line can no longer be voided', () => {
    expect(correctionFor(line({ voidable: false }))).toBe('refund');
    expect(correctionFor(line({ voidable: false, reversedOre: '5000', reversibleOre: '10000' }))).toBe(
      'refund',
    );
  });

  it('offers nothing for a refused, pending, fully given back or unsigned line', () => {
    expect(correctionFor(line({ status: 'rejected', voidable: false, reversibleOre: '0' }))).toBeUndefined();
    expect(correctionFor(line({ status: 'pending', voidable: false }))).toBeUndefined();
    expect(
      correctionFor(line({ voidable: false, reversedOre: '15000', reversibleOre: '0' })),
    ).toBeUndefined();
    expect(correctionFor(line({ signed: undefined }))).toBeUndefined();
  });

  it('reads a line from an API without corrections as nothing to correct', () => {
    const old = line({ reversedOre: undefined, reversibleOre: undefined, voidable: undefined });
    expect(correctionFor(old)).toBeUndefined();
    expect(reversalState(old)).toEqual({ reversedOre: 0n, reversibleOre: 0n, netOre: 15000n });
  });
});

describe('reversalState', () => {
  it('nets what was given back off the amount', () => {
    expect(reversalState(line({ reversedOre: '5000', reversibleOre: '10000' }))).toEqual({
      reversedOre: 5000n,
      reversibleOre: 10000n,
      netOre: 10000n,
    });
  });
});

describe('reversalMessage', () => {
  it('names the redemption period for a void and 0 for a refund', () => {
    const base = { id: 8n, amountOre: 15000n, deadline: 1_800_000_300 };
    expect(reversalMessage(line(), { ...base, kind: 'void' }).period).toBe(3);
    expect(reversalMessage(line(), { ...base, kind: 'refund' }).period).toBe(0);
  });

  it('carries the original exactly as the terminal signed it', () => {
    const message = reversalMessage(line(), { id: 8n, kind: 'refund', amountOre: 5000n, deadline: 1 });
    expect(message.redemption).toEqual({
      id: 7n,
      account: `0x${'ab'.repeat(32)}`,
      program: 2n,
      provider: 1,
      amountOre: 15000n,
      deadline: 1_800_000_000,
    });
  });

  it('refuses a void without the period', () => {
    expect(() =>
      reversalMessage(line({ periodId: null }), { id: 8n, kind: 'void', amountOre: 1n, deadline: 1 }),
    ).toThrow();
  });
});

describe('signReversal', () => {
  it('signs the hub Reversal type with the terminal key, recoverable to the terminal address', async () => {
    const message = reversalMessage(line(), {
      id: 8n,
      kind: 'void',
      amountOre: 15000n,
      deadline: 1_800_000_300,
    });
    const terminal = {
      address: TERMINAL,
      privateKey: KEY,
      label: 'Kasse 1',
      providerId: 1,
      nextRedemptionId: '9',
    } as const;
    const signature = await signReversal(terminal, CHAIN, message);
    const signer = await recoverTypedDataAddress({
      domain: redemptionDomain(CHAIN.chainId, CHAIN.hub),
      types: REVERSAL_TYPES,
      primaryType: 'Reversal',
      message,
      signature,
    });
    expect(signer).toBe(TERMINAL);
  });
});

describe('reversedKind', () => {
  const givenBack = line({ voidable: false, reversedOre: '15000', reversibleOre: '0' });

  it('tells a void from a whole refund by the confirmed reversals', () => {
    expect(reversedKind(givenBack, [{ kind: 'void', status: 'confirmed' }])).toBe('void');
    expect(reversedKind(givenBack, [{ kind: 'refund', status: 'confirmed' }])).toBe('refund');
    expect(
      reversedKind(givenBack, [
        { kind: 'void', status: 'rejected' },
        { kind: 'refund', status: 'confirmed' },
      ]),
    ).toBe('refund');
  });

  it('reads a whole give-back as a void and a part as a refund until the reversals are known', () => {
    expect(reversedKind(givenBack, undefined)).toBe('void');
    expect(
      reversedKind(line({ voidable: false, reversedOre: '5000', reversibleOre: '10000' }), undefined),
    ).toBe('refund');
  });

  it('is nothing for a line with nothing given back', () => {
    expect(reversedKind(line(), [{ kind: 'void', status: 'confirmed' }])).toBeUndefined();
  });
});
