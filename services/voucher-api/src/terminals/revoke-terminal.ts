import { appendAudit, providers, terminals } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import { assertCanSeeProvider } from '../auth/authorize.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { type TerminalView, toTerminalView } from './terminal-view.ts';

/** Revokes a scanner (lost, stolen, retired); the chain stops accepting its signatures. */
export async function revokeTerminal(
  deps: DomainDeps,
  params: { actor: AccessClaims; address: string },
): Promise<TerminalView> {
  const address = params.address.toLowerCase();
  return deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ terminal: terminals, provider: providers })
      .from(terminals)
      .innerJoin(providers, eq(providers.id, terminals.providerId))
      .where(eq(terminals.address, address))
      .for('update', { of: terminals });
    if (!found) throw new AppError('NOT_FOUND');
    assertCanSeeProvider(params.actor, found.provider);
    if (found.terminal.status === 'revoked') throw new AppError('TERMINAL_ALREADY_REVOKED');
    const [revoked] = await tx
      .update(terminals)
      .set({ status: 'revoked', revokedAt: deps.now() })
      .where(eq(terminals.address, address))
      .returning();
    if (!revoked) throw new Error('terminal update returned nothing');
    await enqueueChainWrite(tx, {
      kind: 'terminal.revoke',
      contract: 'hub',
      functionName: 'revokeTerminal',
      args: [address],
      idempotencyKey: `terminal:${address}:revoke`,
    });
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: found.provider.municipalityId,
      action: 'terminal.revoked',
      subjectType: 'terminal',
      subjectId: address,
      details: { providerId: found.provider.id },
    });
    return toTerminalView(revoked);
  });
}
