import { type Executor, staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { Address, Hex, LocalAccount } from 'viem';
import { unwrapChainKey } from '../keys/chain-keys.ts';
import { nativeSigningAccount } from './native-signing-account.ts';

/** The row names a signer that cannot sign (unknown, disabled, without a key): never retried. */
export class SignerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignerUnavailableError';
  }
}

export const OPERATOR_SIGNER = 'operator';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who signs an outbox row: the service's operator key, or a staff user's own key (finance
 * officers, so the contract's two-officer rule sees two real signers). A staff key is
 * unwrapped with the master key only at signing time and never kept.
 */
export class OutboxSigners {
  readonly operator: LocalAccount;

  constructor(
    operatorKey: Hex,
    private readonly masterKey: Buffer,
  ) {
    this.operator = nativeSigningAccount(operatorKey);
  }

  async addressOf(db: Executor, signer: string): Promise<Address> {
    if (signer === OPERATOR_SIGNER) return this.operator.address;
    return (await this.staffKey(db, signer)).address;
  }

  async accountFor(db: Executor, signer: string): Promise<LocalAccount> {
    if (signer === OPERATOR_SIGNER) return this.operator;
    const staff = await this.staffKey(db, signer);
    const account = nativeSigningAccount(unwrapChainKey(this.masterKey, staff.wrapped));
    if (account.address.toLowerCase() !== staff.address.toLowerCase()) {
      throw new SignerUnavailableError(`staff signer ${signer}: key does not match its address`);
    }
    return account;
  }

  private async staffKey(db: Executor, signer: string): Promise<{ address: Address; wrapped: Buffer }> {
    if (!UUID.test(signer))
      throw new SignerUnavailableError(`signer "${signer}" is neither operator nor a staff id`);
    const [staff] = await db
      .select({
        address: staffUsers.chainAddress,
        wrapped: staffUsers.chainKeyWrapped,
        disabledAt: staffUsers.disabledAt,
      })
      .from(staffUsers)
      .where(eq(staffUsers.id, signer));
    if (!staff) throw new SignerUnavailableError(`staff signer ${signer} does not exist`);
    if (staff.disabledAt) throw new SignerUnavailableError(`staff signer ${signer} is disabled`);
    if (!staff.address || !staff.wrapped)
      throw new SignerUnavailableError(`staff signer ${signer} has no chain key`);
    return { address: staff.address as Address, wrapped: staff.wrapped };
  }
}
