import { appendAudit, providers, terminalPairingCodes, terminals } from '@voucher/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { type Hex, verifyMessage } from 'viem';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { hashOneTimeCode, normalizeOneTimeCode } from '../keys/one-time-code.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { PAIRING_PURPOSE } from '../providers/create-pairing-code.ts';
import { type TerminalView, toTerminalView } from './terminal-view.ts';

export interface PairTerminalParams {
  pairingCode: string;
  address: string;
  label: string;
  /** EIP-191 signature by the terminal's key over `pairingMessage(code)`. */
  signature: string;
}

/** What a scanner signs to prove it holds the key of the address it registers. */
export function pairingMessage(pairingCode: string): string {
  return `Pair voucher terminal with code ${normalizeOneTimeCode(pairingCode)}`;
}

/**
 * A scanner joins a provider with a one-time code from the provider's staff and a signature
 * proving it holds its key; the chain is told to accept the address as that provider's
 * terminal. The code is spent in the same transaction, so it works exactly once.
 */
export async function pairTerminal(deps: DomainDeps, params: PairTerminalParams): Promise<TerminalView> {
  const address = params.address.toLowerCase();
  await assertHoldsKey(address, params.pairingCode, params.signature);
  const codeHash = hashOneTimeCode(deps.config.masterKey, PAIRING_PURPOSE, params.pairingCode);
  try {
    return await deps.db.transaction(async (tx) => {
      const [spent] = await tx
        .update(terminalPairingCodes)
        .set({ usedAt: deps.now() })
        .where(
          and(
            eq(terminalPairingCodes.codeHash, codeHash),
            isNull(terminalPairingCodes.usedAt),
            gt(terminalPairingCodes.expiresAt, deps.now()),
          ),
        )
        .returning({ providerId: terminalPairingCodes.providerId });
      if (!spent) throw new AppError('PAIRING_CODE_INVALID');
      const [provider] = await tx.select().from(providers).where(eq(providers.id, spent.providerId));
      if (provider?.status !== 'active') throw new AppError('PROVIDER_NOT_ACTIVE');
      const [terminal] = await tx
        .insert(terminals)
        .values({ address, providerId: provider.id, label: params.label.trim() })
        .returning();
      if (!terminal) throw new Error('terminal insert returned nothing');
      await enqueueChainWrite(tx, {
        kind: 'terminal.add',
        contract: 'hub',
        functionName: 'addTerminal',
        args: [String(provider.id), address],
        idempotencyKey: `terminal:${address}:add`,
      });
      await appendAudit(tx, {
        actorId: `terminal:${address}`,
        actorRole: 'terminal',
        municipalityId: provider.municipalityId,
        action: 'terminal.paired',
        subjectType: 'terminal',
        subjectId: address,
        details: { providerId: provider.id },
      });
      return toTerminalView(terminal);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'terminals_pkey')) throw new AppError('TERMINAL_ALREADY_REGISTERED');
    throw error;
  }
}

async function assertHoldsKey(address: string, pairingCode: string, signature: string): Promise<void> {
  const valid = await verifyMessage({
    address: address as Hex,
    message: pairingMessage(pairingCode),
    signature: signature as Hex,
  }).catch(() => false);
  if (!valid) throw new AppError('PAIRING_CODE_INVALID');
}
