import { REDEMPTION_TYPES, redemptionDomain } from '@voucher/contracts';
import { type Hex, hashTypedData } from 'viem';
import { describe, expect, it } from 'vitest';
import { redemptionDigest } from './terminal-signature.ts';

const chain = { chainId: 31337, hub: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const };

describe('redemptionDigest', () => {
  it('equals the EIP-712 digest of the hub’s Redemption struct for values across every range', () => {
    const messages = [
      {
        id: 1n,
        account: `0x${'00'.repeat(32)}` as Hex,
        program: 1n,
        provider: 1,
        amountOre: 0n,
        deadline: 0,
      },
      {
        id: 2n ** 256n - 1n,
        account: `0x${'ab'.repeat(32)}` as Hex,
        program: 2n ** 64n - 1n,
        provider: 2 ** 32 - 1,
        amountOre: 2n ** 64n - 1n,
        deadline: 2 ** 40 - 1,
      },
      {
        id: 987_654_321n,
        account: `0x${'1f'.repeat(31)}e0` as Hex,
        program: 7n,
        provider: 42,
        amountOre: 12_500n,
        deadline: 1_795_000_000,
      },
    ];
    for (const message of messages) {
      const expected = hashTypedData({
        domain: redemptionDomain(chain.chainId, chain.hub),
        types: REDEMPTION_TYPES,
        primaryType: 'Redemption',
        message,
      });
      expect(redemptionDigest(chain, message)).toBe(expected);
    }
  });

  it('refuses a value outside its type instead of signing a different number', () => {
    const message = {
      id: 1n,
      account: `0x${'00'.repeat(32)}` as Hex,
      program: 2n ** 64n,
      provider: 1,
      amountOre: 1n,
      deadline: 1,
    };
    expect(() => redemptionDigest(chain, message)).toThrow(RangeError);
  });
});
