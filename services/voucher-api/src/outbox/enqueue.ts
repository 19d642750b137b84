import { chainOutbox, type Transaction } from '@voucher/db';

/** A JSON value where every integer an ABI calls uintN is a decimal string. */
export type ChainArg = string | boolean | readonly ChainArg[] | { readonly [field: string]: ChainArg };

export interface ChainWriteIntent {
  /** What the write is for, e.g. 'provider.register'; lets the gateway and operators group rows. */
  kind: string;
  /** Contract name in the deployment file: 'hub' or 'ekrone'. */
  contract: 'hub' | 'ekrone';
  functionName: string;
  /**
   * Arguments in ABI order (an array, because jsonb does not keep object key order); structs
   * as objects keyed by field name; uints as decimal strings. Placeholders resolved by the
   * gateway: '@operator' (the operator's address), '@development-admin' (a local chain's admin)
   * and '@contract:<name>'.
   */
  args: readonly ChainArg[];
  /** 'operator' (the default), or 'development-admin' on a local development chain. */
  signer?: string;
  /** Stable key: a retried request enqueues nothing twice. */
  idempotencyKey: string;
}

/**
 * Records a chain write inside the caller's transaction, so the state change and the
 * intent to tell the chain about it commit together or not at all. The chain gateway
 * (src/chain/) drains the table in id order. Returns the outbox id, or the id of the row
 * already holding this idempotency key.
 */
export async function enqueueChainWrite(tx: Transaction, intent: ChainWriteIntent): Promise<bigint> {
  const [inserted] = await tx
    .insert(chainOutbox)
    .values({
      kind: intent.kind,
      contract: intent.contract,
      functionName: intent.functionName,
      args: intent.args,
      signer: intent.signer ?? 'operator',
      idempotencyKey: intent.idempotencyKey,
    })
    .onConflictDoNothing({ target: chainOutbox.idempotencyKey })
    .returning({ id: chainOutbox.id });
  if (inserted) return inserted.id;
  const existing = await tx.query.chainOutbox.findFirst({
    columns: { id: true },
    where: (row, { eq }) => eq(row.idempotencyKey, intent.idempotencyKey),
  });
  if (!existing) throw new Error('chain outbox row vanished during enqueue');
  return existing.id;
}
