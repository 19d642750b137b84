import { desc, sql } from 'drizzle-orm';
import type { Transaction } from '../database.ts';
import { auditLog } from '../schema/audit-log.ts';
import type { JsonObject } from './canonical-json.ts';
import { auditHash, GENESIS_HASH } from './hash.ts';

// An arbitrary, fixed advisory-lock key that only audit appends use.
const AUDIT_APPEND_LOCK_KEY = 7_311_000_001;

export interface AuditEntry {
  municipalityId: number | null;
  actorId: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Ids, amounts and statuses only: never a name, CPR number or address. */
  details?: JsonObject;
}

/**
 * Appends one entry to the hash chain inside the caller's transaction, so the entry exists
 * exactly when the state change it describes does. Appends are serialised with a
 * transaction-scoped advisory lock: two concurrent writers would otherwise both link to the
 * same predecessor and fork the chain.
 */
export async function appendAudit(tx: Transaction, entry: AuditEntry): Promise<bigint> {
  await tx.execute(sql.raw(`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK_KEY})`));
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const fields = {
    seq: (last?.seq ?? 0n) + 1n,
    at: new Date(),
    municipalityId: entry.municipalityId,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: entry.details ?? {},
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...fields, prevHash, hash: auditHash(prevHash, fields) });
  return fields.seq;
}
