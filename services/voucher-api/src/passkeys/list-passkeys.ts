import { staffPasskeys, staffUsers } from '@voucher/db';
import { and, asc, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { type PasskeyView, passkeyView } from './passkey-view.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signed-in staff member's keys, revoked ones included (with when), oldest first. */
export async function listOwnPasskeys(deps: DomainDeps, actor: AccessClaims): Promise<PasskeyView[]> {
  return withTenant(deps, actor, async ({ db }) => {
    const rows = await db
      .select()
      .from(staffPasskeys)
      .where(eq(staffPasskeys.staffUserId, actor.sub))
      .orderBy(asc(staffPasskeys.createdAt), asc(staffPasskeys.id));
    return rows.map(passkeyView);
  });
}

/**
 * An officer's keys for their municipality's admin, who grants each key's address the
 * officer's role on chain. Staff of another municipality answer 404 like a missing id.
 */
export async function listStaffPasskeys(
  deps: DomainDeps,
  actor: AccessClaims,
  staffUserId: string,
): Promise<PasskeyView[]> {
  if (!UUID_PATTERN.test(staffUserId)) throw new AppError('NOT_FOUND');
  return withTenant(deps, actor, async ({ db }) => {
    const [staff] = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(and(eq(staffUsers.id, staffUserId), eq(staffUsers.municipalityId, actor.municipalityId)));
    if (!staff) throw new AppError('NOT_FOUND');
    const rows = await db
      .select()
      .from(staffPasskeys)
      .where(
        and(eq(staffPasskeys.staffUserId, staff.id), eq(staffPasskeys.municipalityId, actor.municipalityId)),
      )
      .orderBy(asc(staffPasskeys.createdAt), asc(staffPasskeys.id));
    return rows.map(passkeyView);
  });
}
