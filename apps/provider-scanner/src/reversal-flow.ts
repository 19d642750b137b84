import { ApiError, apiWithStatus } from './api.ts';
import { type RedemptionLine, reversalMessage } from './corrections.ts';
import { loadChainInfo } from './redeem-flow.ts';
import { signReversal } from './signing.ts';
import {
  type PendingReversal,
  pendingReversalStore,
  type ReversalKind,
  type ReversalReason,
  type StaffSession,
  type Terminal,
  takeRedemptionId,
} from './store.ts';

export interface ReversalRequest {
  kind: ReversalKind;
  reason: ReversalReason;
  amountOre: bigint;
  disputeId?: string;
}

export type ReversalOutcome =
  | { kind: 'confirmed'; reversal: ReversalKind; amountOre: string; creditRestored: boolean }
  | { kind: 'pending'; reversal: ReversalKind; amountOre: string }
  | { kind: 'failure'; reversal: ReversalKind; code: string; message: string }
  | { kind: 'interrupted' };

/** A few minutes: enough for a retry at the counter; a lost device's signature soon expires. */
const DEADLINE_SECONDS = 5 * 60;
const STATUS_POLLS = 20;
const STATUS_POLL_MS = 500;

/**
 * Takes a fresh id from the terminal's redemption counter (saved before use), signs the
 * reversal over the original, and stores the whole request before it is sent.
 */
export async function prepareReversal(
  terminal: Terminal,
  line: RedemptionLine,
  request: ReversalRequest,
): Promise<PendingReversal> {
  const chain = await loadChainInfo();
  const id = await takeRedemptionId();
  const deadline = Math.floor(Date.now() / 1000) + DEADLINE_SECONDS;
  const message = reversalMessage(line, { id, kind: request.kind, amountOre: request.amountOre, deadline });
  const signature = await signReversal(terminal, chain, message);
  const pending: PendingReversal = {
    path: `/redemptions/${line.terminal}/${line.redemptionId}/reversals`,
    body: {
      terminal: terminal.address,
      reversalId: id.toString(),
      kind: request.kind,
      reason: request.reason,
      amountOre: request.amountOre.toString(),
      period: message.period,
      deadline,
      signature,
      ...(request.disputeId ? { disputeId: request.disputeId } : {}),
    },
    programName: line.programName,
    createdAt: Date.now(),
  };
  await pendingReversalStore.write(pending);
  return pending;
}

interface ReversalAnswer {
  reversal?: { status?: string; amountOre?: string; creditRestored?: boolean | null; kind?: ReversalKind };
}

/**
 * Sends the stored reversal (again, byte for byte, after a lost connection: same id and body,
 * same result) and follows a pending one for a few seconds.
 */
export async function submitReversal(
  session: StaffSession,
  pending: PendingReversal,
): Promise<ReversalOutcome> {
  const kind = pending.body.kind;
  try {
    let answer = await send(session, pending);
    for (let poll = 0; answer.status === 202 && poll < STATUS_POLLS; poll++) {
      await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
      answer = await send(session, pending);
    }
    if (answer.status === 202 || answer.data.reversal?.status === 'pending') {
      return { kind: 'pending', reversal: kind, amountOre: pending.body.amountOre };
    }
    await pendingReversalStore.clear();
    return {
      kind: 'confirmed',
      reversal: kind,
      amountOre: answer.data.reversal?.amountOre ?? pending.body.amountOre,
      creditRestored: answer.data.reversal?.creditRestored !== false,
    };
  } catch (error) {
    if (error instanceof ApiError && isDefiniteRefusal(error)) {
      // Nothing was given back, and this id is spent.
      await pendingReversalStore.clear();
      return { kind: 'failure', reversal: kind, code: error.code, message: error.message };
    }
    // A session that ended: kept, to be sent again once staff signed in again.
    if (error instanceof ApiError && error.status === 401) throw error;
    return { kind: 'interrupted' };
  }
}

function send(session: StaffSession, pending: PendingReversal) {
  return apiWithStatus<ReversalAnswer>(pending.path, {
    method: 'POST',
    token: session.token,
    body: pending.body,
  });
}

/** A 4xx that is the answer, not a hitch: a bad signature is 401 too, unlike an ended session. */
function isDefiniteRefusal(error: ApiError): boolean {
  if (error.status === 401) return error.code !== 'UNAUTHENTICATED';
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}
