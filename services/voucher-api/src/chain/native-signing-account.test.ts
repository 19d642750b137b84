import { parseTransaction, recoverTransactionAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { nativeSigningAccount } from './native-signing-account.ts';

describe('nativeSigningAccount', () => {
  it('signs transactions to exactly the bytes viem signs, from the same address', async () => {
    for (let i = 0; i < 20; i++) {
      const key = generatePrivateKey();
      const transaction = {
        chainId: 31337,
        to: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
        data: `0xa9059cbb${i.toString(16).padStart(64, '0')}`,
        nonce: i * 7,
        gas: 100_000n + BigInt(i),
        maxFeePerGas: BigInt(i) * 1_000_000_000n,
        maxPriorityFeePerGas: BigInt(i),
      } as const;
      const native = await nativeSigningAccount(key).signTransaction(transaction);
      expect(native).toBe(await privateKeyToAccount(key).signTransaction(transaction));
      expect(await recoverTransactionAddress({ serializedTransaction: native as never })).toBe(
        privateKeyToAccount(key).address,
      );
      expect(parseTransaction(native).nonce).toBe(i * 7);
    }
  });
});
