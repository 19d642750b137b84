import type { Transaction } from '@voucher/db';
import { enqueueChainWrite } from '../outbox/enqueue.ts';

// AccountStatus.Closed in contracts/src/types/Records.sol (None, Active, Suspended, Closed).
const ACCOUNT_STATUS_CLOSED = '3';

/**
 * Tells the chain an account is closed for good (erasure, a move to another municipality):
 * its grants can no longer be used. Keyed by the account, so erasure after a move closes once.
 */
export function enqueueAccountClose(tx: Transaction, accountHex: `0x${string}`): Promise<bigint> {
  return enqueueChainWrite(tx, {
    kind: 'account.close',
    contract: 'hub',
    functionName: 'setAccountStatus',
    args: [accountHex, ACCOUNT_STATUS_CLOSED],
    idempotencyKey: `account:${accountHex}:close`,
  });
}
