import { asc, gt } from 'drizzle-orm';
import type { Executor } from '../database.ts';
import { auditLog } from '../schema/audit-log.ts';
import type { JsonObject } from './canonical-json.ts';
import { auditHash, GENESIS_HASH } from './hash.ts';

export type AuditChainReport =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAtSeq: bigint; reason: 'gap' | 'link' | 'hash' };

const BATCH_SIZE = 1000;

/** Recomputes every link of the audit chain; reports the first row that does not fit. */
export async function verifyAuditChain(db: Executor): Promise<AuditChainReport> {
  let expectedSeq = 1n;
  let prevHash: Buffer = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1n))
      .orderBy(asc(auditLog.seq))
      .limit(BATCH_SIZE);
    for (const row of rows) {
      const entries = Number(expectedSeq - 1n);
      if (row.seq !== expectedSeq) return { ok: false, entries, brokenAtSeq: expectedSeq, reason: 'gap' };
      if (!row.prevHash.equals(prevHash)) return { ok: false, entries, brokenAtSeq: row.seq, reason: 'link' };
      const recomputed = auditHash(prevHash, { ...row, details: row.details as JsonObject });
      if (!row.hash.equals(recomputed)) return { ok: false, entries, brokenAtSeq: row.seq, reason: 'hash' };
      prevHash = row.hash;
      expectedSeq += 1n;
    }
    if (rows.length < BATCH_SIZE) return { ok: true, entries: Number(expectedSeq - 1n) };
  }
}
