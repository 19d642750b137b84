import { appendAudit, staffUsers } from '@voucher/db';
import { eq, sql } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type AccessClaims, claimsOfStaff } from './claims.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

/**
 * Checks a staff login and returns the claims for an access token. Unknown user, wrong
 * password, disabled and locked accounts all answer the same LOGIN_FAILED after the same
 * amount of work, so the answer never tells an attacker which usernames exist.
 */
export async function login(
  deps: DomainDeps,
  params: { username: string; password: string },
): Promise<AccessClaims> {
  const user = await deps.db.query.staffUsers.findFirst({ where: eq(staffUsers.username, params.username) });
  const passwordMatches = await verifyPassword(
    params.password,
    user?.passwordHash ?? (await dummyPasswordHash()),
  );
  const now = deps.now();
  if (!user || user.disabledAt) throw new AppError('LOGIN_FAILED');
  if (user.lockedUntil && user.lockedUntil > now) throw new AppError('LOGIN_FAILED');
  if (!passwordMatches) {
    await recordFailedLogin(deps, user.id, user.municipalityId, now);
    throw new AppError('LOGIN_FAILED');
  }
  if (user.failedLogins > 0 || user.lockedUntil) {
    await deps.db
      .update(staffUsers)
      .set({ failedLogins: 0, lockedUntil: null })
      .where(eq(staffUsers.id, user.id));
  }
  return claimsOfStaff(user);
}

/** Counts the failure atomically; the fifth in a row locks the account for 15 minutes. */
async function recordFailedLogin(deps: DomainDeps, userId: string, municipalityId: number | null, now: Date) {
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(staffUsers)
      .set({ failedLogins: sql`${staffUsers.failedLogins} + 1` })
      .where(eq(staffUsers.id, userId))
      .returning({ failedLogins: staffUsers.failedLogins });
    if (!updated || updated.failedLogins < MAX_FAILED_LOGINS) return;
    await tx
      .update(staffUsers)
      .set({ failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS) })
      .where(eq(staffUsers.id, userId));
    await appendAudit(tx, {
      actorId: 'system',
      actorRole: 'system',
      municipalityId,
      action: 'staff.locked',
      subjectType: 'staff_user',
      subjectId: userId,
      details: { reason: 'failed_logins', lockoutMinutes: LOCKOUT_MS / 60_000 },
    });
  });
}
