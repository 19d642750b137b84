import { appendAudit } from '@voucher/db';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { findCitizen } from '../privacy/find-citizen.ts';
import { accountOfCitizen } from '../privacy/read-citizen.ts';
import { issueActivationCode } from './issue-activation-code.ts';
import { issuePrintedPass } from './issue-printed-pass.ts';

export interface ReissuedPass {
  passSerial: bigint;
  activationCode: string;
  activationCodeExpiresAt: Date;
}

/**
 * Lost card or letter: the old serial is revoked in the same transaction that issues the new
 * one, so from the commit on every scanner that checks the serial refuses the old QR. A new
 * activation code replaces any unused one (it was on the lost letter too).
 */
export async function reissuePass(
  deps: DomainDeps,
  actor: AccessClaims,
  citizenId: string,
): Promise<ReissuedPass> {
  const citizen = await findCitizen(deps, actor, citizenId);
  const account = await accountOfCitizen(deps, citizen);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const pass = await issuePrintedPass(tx, account.accountId, now);
    const code = await issueActivationCode(tx, deps.config, account.accountId, now);
    await appendAudit(tx, {
      ...auditActor(actor),
      municipalityId: citizen.municipalityId,
      action: 'citizen.pass_reissued',
      subjectType: 'citizen',
      subjectId: citizen.id,
      details: { passSerial: pass.serial.toString() },
    });
    return { passSerial: pass.serial, activationCode: code.code, activationCodeExpiresAt: code.expiresAt };
  });
}
