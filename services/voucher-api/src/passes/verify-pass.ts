import { accounts, devices, passes, presentationReplays } from '@voucher/db';
import { eq, lt } from 'drizzle-orm';
import { toHex } from 'viem';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { parseDevicePublicKey } from './device-key.ts';
import { passSigningKeyFromConfig } from './pass-signing-key.ts';
import { PRESENTATION_PREFIX, readPresentation, verifyPresentation } from './presentation.ts';
import { STATIC_PASS_PREFIX, verifyStaticPass } from './static-pass.ts';

export type VerifiedPass =
  | { kind: 'printed'; accountId: `0x${string}`; accountStatus: string; serial: string }
  | { kind: 'phone'; accountId: `0x${string}`; accountStatus: string; deviceId: string };

/**
 * Whatever a scanner read, checked fully online: a printed pass by signature and serial
 * (revoked serials fail at once), a phone presentation by the device's signature, its age and
 * that it was never accepted before.
 */
export async function verifyPass(deps: DomainDeps, text: string): Promise<VerifiedPass> {
  if (typeof text === 'string' && text.startsWith(`${PRESENTATION_PREFIX}.`)) {
    return verifyPhonePresentation(deps, text);
  }
  if (typeof text === 'string' && text.startsWith(`${STATIC_PASS_PREFIX}.`)) {
    return verifyPrintedPass(deps, text);
  }
  throw new AppError('PASS_MALFORMED');
}

async function verifyPrintedPass(deps: DomainDeps, text: string): Promise<VerifiedPass> {
  const pass = verifyStaticPass(passSigningKeyFromConfig(deps.config).publicKey, text);
  const row = await deps.db.query.passes.findFirst({ where: eq(passes.serial, pass.serial) });
  // A validly signed serial we do not hold (or for another account) is treated as revoked.
  if (!row?.accountId.equals(pass.accountId) || row.status !== 'active') {
    throw new AppError('PASS_REVOKED');
  }
  const accountStatus = await statusOf(deps, pass.accountId);
  return { kind: 'printed', accountId: toHex(pass.accountId), accountStatus, serial: pass.serial.toString() };
}

async function verifyPhonePresentation(deps: DomainDeps, text: string): Promise<VerifiedPass> {
  const claimed = readPresentation(text);
  const device = await deps.db.query.devices.findFirst({ where: eq(devices.id, claimed.deviceId) });
  if (!device || device.revokedAt || !device.accountId.equals(claimed.accountId)) {
    throw new AppError('DEVICE_UNKNOWN');
  }
  const now = deps.now();
  const verified = verifyPresentation(parseDevicePublicKey(device.publicKey), text, now);
  await rememberPresentation(deps, verified.presentationHash, verified.replayGuardUntil, now);
  const accountStatus = await statusOf(deps, verified.accountId);
  return { kind: 'phone', accountId: toHex(verified.accountId), accountStatus, deviceId: device.id };
}

/** The primary key makes "accepted once" atomic even with several API instances. */
async function rememberPresentation(deps: DomainDeps, hash: Buffer, until: Date, now: Date): Promise<void> {
  const inserted = await deps.db
    .insert(presentationReplays)
    .values({ presentationHash: hash, expiresAt: until })
    .onConflictDoNothing()
    .returning({ hash: presentationReplays.presentationHash });
  if (inserted.length === 0) throw new AppError('PRESENTATION_REPLAYED');
  // Rows past their expiry guard nothing (the age check refuses those presentations anyway).
  await deps.db.delete(presentationReplays).where(lt(presentationReplays.expiresAt, now));
}

async function statusOf(deps: DomainDeps, accountId: Buffer): Promise<string> {
  const account = await deps.db.query.accounts.findFirst({
    columns: { status: true },
    where: eq(accounts.accountId, accountId),
  });
  return account?.status ?? 'unknown';
}
