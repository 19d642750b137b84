import type { Executor } from '@voucher/db';
import type { Address, Hex, LocalAccount } from 'viem';
import type { CallPlaceholders } from './intent-call.ts';
import { nativeSigningAccount } from './native-signing-account.ts';

/** The row names a signer that cannot sign (anything but the operator): never retried. */
export class SignerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignerUnavailableError';
  }
}

export const OPERATOR_SIGNER = 'operator';
/** A local chain's platform and municipal admin (see ANVIL_DEV_ADMIN_KEY); never on a real network. */
export const DEVELOPMENT_ADMIN_SIGNER = 'development-admin';

/**
 * Who signs an outbox row's transaction: the service's operator key, which only relays. The
 * service holds no officer's key: a finance or treasury officer's authority travels inside
 * the call as their own passkey signature (OfficerSignature), which the hub checks. On a local
 * development chain only, a second key plays the admins (platform and municipal) that are
 * timelocks of named people on a real network.
 */
export class OutboxSigners {
  readonly operator: LocalAccount;
  readonly developmentAdmin: LocalAccount | undefined;

  constructor(operatorKey: Hex, developmentAdminKey?: Hex) {
    this.operator = nativeSigningAccount(operatorKey);
    this.developmentAdmin = developmentAdminKey ? nativeSigningAccount(developmentAdminKey) : undefined;
  }

  /** The addresses an intent's '@operator' and '@development-admin' stand for. */
  get placeholders(): CallPlaceholders {
    return { operator: this.operator.address, developmentAdmin: this.developmentAdmin?.address };
  }

  async addressOf(db: Executor, signer: string): Promise<Address> {
    return (await this.accountFor(db, signer)).address;
  }

  async accountFor(_db: Executor, signer: string): Promise<LocalAccount> {
    if (signer === OPERATOR_SIGNER) return this.operator;
    if (signer === DEVELOPMENT_ADMIN_SIGNER && this.developmentAdmin) return this.developmentAdmin;
    throw new SignerUnavailableError(
      `signer "${signer}": the service signs only as the operator (and, on a local development chain, as its ` +
        'admin); officers sign with their passkeys, admins through their timelock',
    );
  }
}
