import { ApiError, api } from './api.ts';
import type { RedemptionChoice, ScanResult } from './screens/redeem.tsx';
import type { Outcome } from './screens/result.tsx';
import { type ChainInfo, signRedemption } from './signing.ts';
import {
  type PendingRedemption,
  pendingStore,
  type StaffSession,
  type Terminal,
  takeRedemptionId,
} from './store.ts';
import { type RedemptionOutcome, sendRedemption } from './terminal.ts';

/** Long enough for a slow counter and a retry or two; short enough that a lost phone's signature expires. */
const DEADLINE_SECONDS = 10 * 60;
const STATUS_POLLS = 40;
const STATUS_POLL_MS = 500;

let chainInfo: Promise<ChainInfo> | undefined;
/** Which chain and hub the terminal signs for (its EIP-712 domain), fetched once. */
export function loadChainInfo(): Promise<ChainInfo> {
  chainInfo ??= api<ChainInfo>('/public/chain').catch((error) => {
    chainInfo = undefined;
    throw error;
  });
  return chainInfo;
}

/**
 * Takes a fresh id (saved before use), signs, and stores the whole request before sending
 * it, so a dropped connection is retried with the identical id and body: charged at most once.
 */
export async function prepareRedemption(
  terminal: Terminal,
  scan: ScanResult,
  choice: RedemptionChoice,
): Promise<PendingRedemption> {
  const chain = await loadChainInfo();
  const id = await takeRedemptionId();
  const deadline = Math.floor(Date.now() / 1000) + DEADLINE_SECONDS;
  const signature = await signRedemption(terminal, chain, {
    id,
    account: scan.account,
    program: BigInt(choice.voucher.programId),
    provider: terminal.providerId,
    amountOre: choice.amountOre,
    deadline,
  });
  const pending: PendingRedemption = {
    body: {
      scanId: scan.scanId,
      terminal: terminal.address,
      redemptionId: id.toString(),
      programId: choice.voucher.programId,
      amountOre: choice.amountOre.toString(),
      deadline,
      signature,
    },
    programName: choice.voucher.programName,
    municipalityName: choice.voucher.municipalityName,
    createdAt: Date.now(),
  };
  await pendingStore.write(pending);
  return pending;
}

/** Sends the stored redemption and turns the answer into what the screen shows. */
export async function submitPending(session: StaffSession, pending: PendingRedemption): Promise<Outcome> {
  try {
    let answer: RedemptionOutcome = await sendRedemption(session, pending);
    for (let poll = 0; answer.status === 'pending' && poll < STATUS_POLLS; poll++) {
      await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
      answer = await api<RedemptionOutcome>(
        answer.statusUrl ?? `/redemptions/status/${pending.body.terminal}/${pending.body.redemptionId}`,
        { token: session.token },
      );
    }
    if (answer.status !== 'confirmed') return { kind: 'pending' };
    await pendingStore.clear();
    return {
      kind: 'success',
      amountOre: answer.amountOre ?? pending.body.amountOre,
      programName: pending.programName,
      municipalityName: pending.municipalityName,
    };
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 401 &&
      error.status !== 408 &&
      error.status !== 429
    ) {
      // A definite refusal: nothing was charged, and this id is spent.
      await pendingStore.clear();
      return { kind: 'failure', code: error.code, message: error.message };
    }
    return { kind: 'interrupted' };
  }
}
