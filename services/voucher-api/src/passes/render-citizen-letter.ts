import { appendAudit, municipalities } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { openCitizenRecord, vaultKeyring } from '../privacy/citizen-record.ts';
import { findCitizen } from '../privacy/find-citizen.ts';
import { accountOfCitizen } from '../privacy/read-citizen.ts';
import { renderActivationLetter } from './activation-letter.ts';
import { currentPassText } from './current-pass-text.ts';
import { issueActivationCode } from './issue-activation-code.ts';
import { renderQrSvg } from './qr.ts';

/**
 * Prints the activation letter. Only a hash of an activation code is ever stored, so a letter
 * can show a code only at the moment it is made: printing issues a fresh code and voids any
 * unused earlier one (the latest printed letter is the one that works). The pass QR is the
 * current serial's, unchanged.
 */
export async function renderCitizenLetter(
  deps: DomainDeps,
  actor: AccessClaims,
  params: { citizenId: string; citizenAppUrl: string },
): Promise<string> {
  const citizen = await findCitizen(deps, actor, params.citizenId);
  const record = openCitizenRecord(vaultKeyring(deps.config), citizen);
  const account = await accountOfCitizen(deps, citizen);
  const pass = await currentPassText(deps, account.accountId);
  const municipality = await deps.db.query.municipalities.findFirst({
    where: eq(municipalities.id, citizen.municipalityId),
  });
  const now = deps.now();
  const code = await deps.db.transaction(async (tx) => {
    const issued = await issueActivationCode(tx, deps.config, account.accountId, now);
    await appendAudit(tx, {
      ...auditActor(actor),
      municipalityId: citizen.municipalityId,
      action: 'citizen.letter_printed',
      subjectType: 'citizen',
      subjectId: citizen.id,
      details: { passSerial: pass.serial.toString() },
    });
    return issued;
  });
  return renderActivationLetter({
    municipalityName: municipality?.name ?? `Kommune ${citizen.municipalityId}`,
    recipientName: record.name,
    recipientAddressLines: [record.address.street, `${record.address.postalCode} ${record.address.city}`],
    activationCode: code.code,
    activationCodeExpiresAt: code.expiresAt,
    passQrSvg: await renderQrSvg(pass.text),
    passSerial: pass.serial,
    citizenAppUrl: params.citizenAppUrl,
    printedAt: now,
  });
}
