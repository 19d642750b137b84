import { accounts, devices } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type DevicePublicKeyInput, parseDevicePublicKey, serialiseDevicePublicKey } from './device-key.ts';

/** A citizen's phone registers the P-256 public key its rotating QR codes will be signed with. */
export async function registerDevice(
  deps: DomainDeps,
  params: { accountId: Buffer; publicKey: DevicePublicKeyInput },
): Promise<{ deviceId: string }> {
  const key = parseDevicePublicKey(params.publicKey);
  const account = await deps.db.query.accounts.findFirst({
    columns: { status: true },
    where: eq(accounts.accountId, params.accountId),
  });
  if (account?.status !== 'active') throw new AppError('NOT_FOUND');
  const [device] = await deps.db
    .insert(devices)
    .values({ accountId: params.accountId, publicKey: serialiseDevicePublicKey(key) })
    .returning({ id: devices.id });
  if (!device) throw new Error('device insert returned nothing');
  return { deviceId: device.id };
}
