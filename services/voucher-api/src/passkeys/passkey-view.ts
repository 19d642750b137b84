import type { StaffPasskey, StaffPasskeyKind } from '@voucher/db';
import { getAddress, type Hex } from 'viem';

/** A passkey as its owner and their admin see it: never the public key bytes themselves. */
export interface PasskeyView {
  id: string;
  credentialId: string;
  /** The address the contract knows the key by (EIP-55 checksummed). */
  address: Hex;
  deviceName: string;
  kind: StaffPasskeyKind;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function passkeyView(row: StaffPasskey): PasskeyView {
  return {
    id: row.id,
    credentialId: row.credentialId,
    address: getAddress(row.chainAddress),
    deviceName: row.deviceName,
    kind: row.kind,
    transports: row.transports,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
