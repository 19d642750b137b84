import { providers, scans } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { verifyPass } from '../passes/verify-pass.ts';
import { type AssessedVoucher, assessAll, loadAccountVouchers } from './account-vouchers.ts';
import { loadAdmissions } from './provider-admissions.ts';

/** How long a scan may be redeemed against: long enough for a queue at the till, no longer. */
export const SCAN_TTL_MS = 10 * 60 * 1000;

export interface ScanResult {
  scanId: string;
  account: `0x${string}`;
  passKind: 'static' | 'rotating';
  expiresAt: Date;
  vouchers: AssessedVoucher[];
}

export interface ScanLimits {
  /**
   * Counts a scan of this pass (by its account) and throws when the pass was scanned too often
   * lately. Called only once the pass is verified: a forged QR naming someone's account must
   * not use up their scans.
   */
  admitPass?: (account: `0x${string}`) => Promise<void>;
}

/**
 * A provider's staff scanned a pass: verify it (a rotating presentation is consumed here,
 * so the redemption refers to the scan), and tell which vouchers this provider can take now
 * and why not the others. Only the pseudonymous account is ever returned.
 */
export async function scanPass(
  deps: DomainDeps,
  actor: AccessClaims,
  passText: string,
  limits: ScanLimits = {},
): Promise<ScanResult> {
  const provider = await ownProvider(deps, actor);
  const pass = await verifyPass(deps, passText);
  if (pass.accountStatus !== 'active') throw new AppError('ACCOUNT_NOT_ACTIVE');
  await limits.admitPass?.(pass.accountId);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + SCAN_TTL_MS);
  const passKind = pass.kind === 'printed' ? 'static' : 'rotating';
  const [scan] = await deps.db
    .insert(scans)
    .values({
      providerId: provider.id,
      account: pass.accountId,
      passKind,
      passSerial: pass.kind === 'printed' ? BigInt(pass.serial) : null,
      expiresAt,
      createdAt: now,
    })
    .returning({ id: scans.id });
  if (!scan) throw new Error('scan insert returned nothing');
  // A provider never sees vouchers of municipalities that have not admitted it.
  const admitted = (await loadAccountVouchers(deps.db, pass.accountId, undefined, now)).filter((voucher) =>
    provider.admissions.has(voucher.program.municipalityId),
  );
  const vouchers = assessAll(admitted, provider, now);
  return { scanId: scan.id, account: pass.accountId, passKind, expiresAt, vouchers };
}

/** The provider a staff member acts for; a suspended one cannot take vouchers at all. */
export async function ownProvider(deps: DomainDeps, actor: AccessClaims) {
  if (actor.providerId === undefined) throw new AppError('FORBIDDEN');
  const provider = await deps.db.query.providers.findFirst({
    columns: { id: true, status: true, municipalityId: true, name: true },
    where: eq(providers.id, actor.providerId),
  });
  if (!provider) throw new AppError('FORBIDDEN');
  if (provider.status !== 'active') throw new AppError('PROVIDER_SUSPENDED');
  return { ...provider, admissions: await loadAdmissions(deps.db, provider.id) };
}
