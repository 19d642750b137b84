import { appendAudit, staffUsers } from '@voucher/db';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import { hashPassword } from '../auth/passwords.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

/**
 * A platform operator: belongs to no municipality, creates municipalities and watches the
 * service's health. Made from the command line (`npm run admin:create -- --operator`), since
 * no role in the API may make one.
 */
export async function createOperator(
  deps: DomainDeps,
  params: { username: string; password: string },
): Promise<{ id: string; username: string }> {
  const passwordHash = await hashPassword(params.password);
  try {
    return await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(staffUsers)
        .values({ municipalityId: null, username: params.username, role: 'operator', passwordHash })
        .returning({ id: staffUsers.id, username: staffUsers.username });
      if (!created) throw new Error('operator insert returned nothing');
      await appendAudit(tx, {
        ...SYSTEM_ACTOR,
        municipalityId: null,
        action: 'staff.created',
        subjectType: 'staff_user',
        subjectId: created.id,
        details: { role: 'operator' },
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'staff_users_username_unique')) throw new AppError('USERNAME_TAKEN');
    throw error;
  }
}
