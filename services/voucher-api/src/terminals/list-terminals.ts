import { terminals } from '@voucher/db';
import { asc, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { findVisibleProvider } from '../providers/find-provider.ts';
import { type TerminalView, toTerminalView } from './terminal-view.ts';

export async function listTerminals(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number },
): Promise<TerminalView[]> {
  const provider = await findVisibleProvider(deps.db, params.actor, params.providerId);
  const rows = await deps.db
    .select()
    .from(terminals)
    .where(eq(terminals.providerId, provider.id))
    .orderBy(asc(terminals.createdAt));
  return rows.map(toTerminalView);
}
