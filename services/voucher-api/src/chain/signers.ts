import type { Executor } from '@voucher/db';
import type { Address, Hex, LocalAccount } from 'viem';
import { nativeSigningAccount } from './native-signing-account.ts';

/** The row names a signer that cannot sign (anything but the operator): never retried. */
export class SignerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignerUnavailableError';
  }
}

export const OPERATOR_SIGNER = 'operator';

/**
 * Who signs an outbox row's transaction: the service's operator key, and nobody else. The
 * service holds no officer's key: a finance or treasury officer's authority travels inside
 * the call as their own passkey signature (OfficerSignature), which the hub checks, and the
 * operator only relays it.
 */
export class OutboxSigners {
  readonly operator: LocalAccount;

  constructor(operatorKey: Hex) {
    this.operator = nativeSigningAccount(operatorKey);
  }

  async addressOf(db: Executor, signer: string): Promise<Address> {
    return (await this.accountFor(db, signer)).address;
  }

  async accountFor(_db: Executor, signer: string): Promise<LocalAccount> {
    if (signer === OPERATOR_SIGNER) return this.operator;
    throw new SignerUnavailableError(
      `signer "${signer}": the service signs only as the operator; officers sign with their passkeys`,
    );
  }
}
