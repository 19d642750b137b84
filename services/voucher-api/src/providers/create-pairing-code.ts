import { appendAudit, terminalPairingCodes } from '@voucher/db';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { generateOneTimeCode, hashOneTimeCode } from '../keys/one-time-code.ts';
import { findVisibleProvider } from './find-provider.ts';

export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;
export const PAIRING_PURPOSE = 'terminal-pairing';

/** A one-time code, valid 10 minutes, that lets one new scanner join the provider. */
export async function createPairingCode(
  deps: DomainDeps,
  params: { actor: AccessClaims; providerId: number },
): Promise<{ code: string; expiresAt: Date }> {
  const code = generateOneTimeCode();
  const expiresAt = new Date(deps.now().getTime() + PAIRING_CODE_TTL_MS);
  await deps.db.transaction(async (tx) => {
    const provider = await findVisibleProvider(tx, params.actor, params.providerId);
    if (provider.status !== 'active') throw new AppError('PROVIDER_NOT_ACTIVE');
    await tx.insert(terminalPairingCodes).values({
      codeHash: hashOneTimeCode(deps.config.masterKey, PAIRING_PURPOSE, code),
      providerId: provider.id,
      createdBy: params.actor.sub,
      expiresAt,
    });
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: provider.municipalityId,
      action: 'terminal.pairing-code-created',
      subjectType: 'provider',
      subjectId: String(provider.id),
      details: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt };
}
