import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './canonical-json.ts';

export const GENESIS_HASH = Buffer.alloc(32);

export interface AuditFields {
  seq: bigint;
  at: Date;
  municipalityId: number | null;
  actorId: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details: JsonObject;
}

/** sha256(prev_hash || canonical JSON of the row's fields): the link that makes edits visible. */
export function auditHash(prevHash: Buffer, fields: AuditFields): Buffer {
  const canonical = canonicalJson({
    seq: fields.seq.toString(),
    at: fields.at.toISOString(),
    municipalityId: fields.municipalityId,
    actorId: fields.actorId,
    actorRole: fields.actorRole,
    action: fields.action,
    subjectType: fields.subjectType,
    subjectId: fields.subjectId,
    details: fields.details,
  });
  return createHash('sha256').update(prevHash).update(canonical, 'utf8').digest();
}
