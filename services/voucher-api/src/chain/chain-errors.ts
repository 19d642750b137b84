import {
  BaseError,
  ContractFunctionRevertedError,
  ExecutionRevertedError,
  type Hash,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from 'viem';
import type { ChainPublicClient } from './clients.ts';
import { jsonSafe } from './json-safe.ts';

/** A call the contract refused: retrying the same call cannot help. */
export interface DecodedRevert {
  /** The custom error's name, e.g. `AccountAlreadyRegistered`, or 'Reverted' when unknown. */
  errorName: string;
  args: unknown[];
  /** `AccountAlreadyRegistered(0x…)`, stored as the row's last_error. */
  text: string;
}

export function decodeRevert(error: unknown): DecodedRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    const errorName =
      reverted.data?.errorName ?? (reverted.signature ? `Unknown(${reverted.signature})` : 'Reverted');
    const args = (jsonSafe(reverted.data?.args ?? []) as unknown[]) ?? [];
    return { errorName, args, text: revertText(errorName, args) };
  }
  if (error.walk((cause) => cause instanceof ExecutionRevertedError)) {
    return { errorName: 'Reverted', args: [], text: 'Reverted()' };
  }
  return undefined;
}

/** `ErrorName(arg, …)` with JSON-safe arguments: how a refusal is stored as a row's last_error. */
export function revertText(errorName: string, args: readonly unknown[]): string {
  const safe = (jsonSafe(args) as unknown[]) ?? [];
  return `${errorName}(${safe.map((arg) => JSON.stringify(arg)).join(', ')})`;
}

/** How a node answered a broadcast of bytes we may have sent before. */
export type BroadcastRejection = 'already-known' | 'nonce-used' | 'other';

export function classifyBroadcastError(error: unknown): BroadcastRejection {
  const text = errorText(error).toLowerCase();
  if (/already known|known transaction|already imported|alreadyknown/.test(text)) return 'already-known';
  if (/nonce too low|nonce is too low|oldnonce/.test(text)) return 'nonce-used';
  return 'other';
}

/** A short, single-line description for logs and last_error; no request bodies. */
export function errorText(error: unknown): string {
  if (error instanceof BaseError) return [error.shortMessage, error.details].filter(Boolean).join(': ');
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

/** The receipt, or undefined while the transaction is not mined; transport errors still throw. */
export async function receiptIfMined(
  client: ChainPublicClient,
  hash: Hash,
): Promise<TransactionReceipt | undefined> {
  try {
    return await client.getTransactionReceipt({ hash });
  } catch (error) {
    if (
      error instanceof BaseError &&
      error.walk((cause) => cause instanceof TransactionReceiptNotFoundError)
    ) {
      return undefined;
    }
    throw error;
  }
}
