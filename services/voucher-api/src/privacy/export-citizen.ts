import { activationCodes, appendAudit, auditLog, devices, passes } from '@voucher/db';
import { and, asc, eq } from 'drizzle-orm';
import { toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { readCitizen } from './read-citizen.ts';

/**
 * GDPR art. 15: everything held about one person, in one JSON document. The vault record,
 * the account and everything hanging off it, and what staff did with the person's data.
 * Hashes (activation codes, blind index) are omitted: they are keyed and mean nothing outside.
 */
export async function exportCitizen(deps: DomainDeps, actor: AccessClaims, citizenId: string) {
  const view = await readCitizen(deps, actor, citizenId);
  const accountId = Buffer.from(view.account.accountId.slice(2), 'hex');
  const passRows = await deps.db
    .select()
    .from(passes)
    .where(eq(passes.accountId, accountId))
    .orderBy(asc(passes.serial));
  const deviceRows = await deps.db.select().from(devices).where(eq(devices.accountId, accountId));
  const codeRows = await deps.db
    .select()
    .from(activationCodes)
    .where(eq(activationCodes.accountId, accountId));
  const auditRows = await deps.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectType, 'citizen'), eq(auditLog.subjectId, citizenId)))
    .orderBy(asc(auditLog.seq));
  await deps.db.transaction((tx) =>
    appendAudit(tx, {
      ...auditActor(actor),
      municipalityId: view.municipalityId,
      action: 'citizen.exported',
      subjectType: 'citizen',
      subjectId: citizenId,
    }),
  );
  return {
    exportedAt: deps.now(),
    legalBasis: 'GDPR art. 15',
    person: view,
    passes: passRows.map((row) => ({
      serial: row.serial.toString(),
      kind: row.kind,
      status: row.status,
      issuedAt: row.issuedAt,
      revokedAt: row.revokedAt,
    })),
    devices: deviceRows.map((row) => ({
      id: row.id,
      publicKey: row.publicKey,
      registeredAt: row.createdAt,
      revokedAt: row.revokedAt,
    })),
    activationCodes: codeRows.map((row) => ({
      issuedAt: row.createdAt,
      expiresAt: row.expiresAt,
      usedAt: row.usedAt,
      attempts: row.attempts,
    })),
    processingLog: auditRows.map((row) => ({
      at: row.at,
      action: row.action,
      actorRole: row.actorRole,
      details: row.details,
    })),
    onChain: {
      accountId: toHex(accountId),
      note: 'The chain holds only this pseudonymous account id and its grants.',
    },
  };
}
