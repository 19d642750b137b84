import { auditLog, chainOutbox, type Executor, staffPasskeys, staffUsers } from '@voucher/db';
import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { SignedStep } from './officer-signing.ts';

/** Who signed a step, with which passkey (its device name), and when the service relayed it. */
export interface OfficerSignatureView {
  step: SignedStep;
  username: string;
  deviceName: string;
  signedAt: string;
}

export interface SignedSubject {
  subjectType: string;
  subjectId: string;
}

/**
 * The officers' signatures on `subjects`, oldest first, read from the audit log's signed
 * entries (relaySigned writes them with the step, the passkey and the outbox row). A
 * signature the chain refused is left out: it did nothing.
 */
export async function officerSignatures(
  db: Executor,
  municipalityId: number,
  subjects: SignedSubject[],
): Promise<(OfficerSignatureView & SignedSubject)[]> {
  if (subjects.length === 0) return [];
  const rows = await db
    .select({
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      step: sql<SignedStep>`${auditLog.details}->>'step'`,
      username: staffUsers.username,
      deviceName: staffPasskeys.deviceName,
      at: auditLog.at,
      outboxStatus: chainOutbox.status,
    })
    .from(auditLog)
    .innerJoin(staffPasskeys, sql`${staffPasskeys.id}::text = ${auditLog.details}->>'passkeyId'`)
    .innerJoin(staffUsers, eq(staffUsers.id, staffPasskeys.staffUserId))
    .leftJoin(chainOutbox, sql`${chainOutbox.id}::text = ${auditLog.details}->>'outboxId'`)
    .where(
      and(
        eq(auditLog.municipalityId, municipalityId),
        isNotNull(sql`${auditLog.details}->>'step'`),
        or(
          ...subjects.map((subject) =>
            and(eq(auditLog.subjectType, subject.subjectType), eq(auditLog.subjectId, subject.subjectId)),
          ),
        ),
        inArray(auditLog.subjectType, [...new Set(subjects.map((subject) => subject.subjectType))]),
      ),
    )
    .orderBy(asc(auditLog.seq));
  return rows
    .filter((row) => row.outboxStatus !== 'failed')
    .map(({ subjectType, subjectId, step, username, deviceName, at }) => ({
      subjectType,
      subjectId,
      step,
      username,
      deviceName,
      signedAt: at.toISOString(),
    }));
}
