import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { api } from './api.ts';
import {
  type PendingRedemption,
  raiseRedemptionIdAbove,
  type StaffSession,
  type Terminal,
  terminalStore,
} from './store.ts';

/** Must equal pairingMessage() in the API (services/voucher-api/src/terminals/pair-terminal.ts). */
export function pairingMessage(pairingCode: string): string {
  return `Pair voucher terminal with code ${pairingCode.toUpperCase().replace(/[\s-]/g, '')}`;
}

/**
 * Makes the terminal key in this browser, proves it holds it (EIP-191 over the one-time
 * pairing code) and registers only the address. Without a code given, staff's own login
 * asks for one first.
 */
export async function pairThisDevice(
  session: StaffSession,
  label: string,
  givenCode?: string,
): Promise<Terminal> {
  const code =
    givenCode ||
    (
      await api<{ code: string }>(`/providers/${session.providerId}/pairing-codes`, {
        method: 'POST',
        token: session.token,
        body: {},
      })
    ).code;
  const privateKey = generatePrivateKey();
  const account = privateKeyToAccount(privateKey);
  const signature = await account.signMessage({ message: pairingMessage(code) });
  const paired = await api<{ address: string; providerId: number; label: string }>('/terminals', {
    method: 'POST',
    body: { pairingCode: code, address: account.address, label, signature },
  });
  return {
    address: account.address,
    privateKey,
    label: paired.label,
    providerId: paired.providerId,
    nextRedemptionId: '1',
  };
}

export type RedemptionOutcome =
  | { status: 'confirmed'; amountOre: string; txHash?: string }
  | { status: 'pending'; statusUrl?: string };

/** Sends (or re-sends, byte for byte) a stored redemption. Same id + same body = same result. */
export async function sendRedemption(
  session: StaffSession,
  pending: PendingRedemption,
): Promise<RedemptionOutcome> {
  return api<RedemptionOutcome>('/redemptions', { method: 'POST', token: session.token, body: pending.body });
}

/** Lines the local id counter up with the highest id the API holds for this terminal. */
export async function resumeRedemptionCounter(session: StaffSession, terminal: Terminal): Promise<Terminal> {
  const { highestRedemptionId } = await api<{ highestRedemptionId: string | null }>(
    `/terminals/${terminal.address}/redemption-cursor`,
    { token: session.token },
  );
  if (highestRedemptionId !== null) await raiseRedemptionIdAbove(BigInt(highestRedemptionId));
  return (await terminalStore.read()) ?? terminal;
}
