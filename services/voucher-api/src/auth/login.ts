import { staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type AccessClaims, claimsOfStaff } from './claims.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';

/**
 * Checks a staff login and returns the claims for an access token. Unknown user, wrong
 * password and disabled accounts all answer the same LOGIN_FAILED after the same amount of
 * work, so the answer never tells an attacker which usernames exist. No account is ever
 * locked: a client that keeps failing for a username waits longer and longer before it may
 * try again (LOGIN_DELAYED, before any password is checked), wherever the username exists or
 * not, while the same username from another client signs in at once.
 */
export async function login(
  deps: DomainDeps,
  throttle: LoginThrottle,
  params: { username: string; password: string; client: string },
): Promise<AccessClaims> {
  const waitSeconds = throttle.waitSeconds(params.username, params.client);
  if (waitSeconds > 0) throw new AppError('LOGIN_DELAYED', { retryAfterSeconds: waitSeconds });
  const user = await deps.db.query.staffUsers.findFirst({ where: eq(staffUsers.username, params.username) });
  const passwordMatches = await verifyPassword(
    params.password,
    user?.passwordHash ?? (await dummyPasswordHash()),
  );
  if (!user || user.disabledAt || !passwordMatches) {
    throttle.recordFailure(params.username, params.client);
    throw new AppError('LOGIN_FAILED');
  }
  throttle.recordSuccess(params.username, params.client);
  return claimsOfStaff(user);
}
