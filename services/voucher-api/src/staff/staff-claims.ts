import { type Executor, staffUsers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { type AccessClaims, claimsOfStaff } from '../auth/claims.ts';

/** The claims a staff member's token would carry, by username: for the seed and test worlds. */
export async function claimsOfUsername(db: Executor, username: string): Promise<AccessClaims> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.username, username)).limit(1);
  if (!user) throw new Error(`no staff user ${username}`);
  return claimsOfStaff(user);
}
