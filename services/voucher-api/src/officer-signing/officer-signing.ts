import { voucherHubAbi } from '@voucher/contracts';
import { appendAudit, type Transaction } from '@voucher/db';
import { encodeAbiParameters, type Hex, keccak256, pad, toBytes, toHex } from 'viem';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { ChainGateway } from '../chain/gateway.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { type ChainArg, enqueueChainWrite } from '../outbox/enqueue.ts';
import { assertPasskeyApproved } from '../passkeys/awaiting-admins.ts';
import {
  type StaffAssertion,
  type VerifiedStaffAssertion,
  verifyStaffAssertion,
} from '../passkeys/verify-staff-assertion.ts';

/** How long an officer has to sign once the service named what to sign. */
export const SIGNING_WINDOW_SECONDS = 10 * 60;

/** The hub's action constants (views of the same name), one per step an officer signs. */
export type OfficerActionName =
  | 'CLOSE_PERIOD'
  | 'PROPOSE_SETTLEMENT'
  | 'APPROVE_SETTLEMENT'
  | 'FUND_PROGRAM'
  | 'RECLAIM_PROGRAM'
  | 'CONFIRM_BANK_TRANSFERS'
  | 'SETTLE_RECEIVABLE';

/** What a signature authorises: the fields of the hub's OfficerAction, without the deadline. */
export interface OfficerAction {
  action: OfficerActionName;
  municipalityId: number;
  /** 0 where the action is not about one program. */
  programId?: bigint;
  /** As the hub computes it for the action (see the subject helpers below). */
  subject: Hex;
  amountOre: bigint;
}

/** The step an officer signed, as settlement and funding views name it. */
export type SignedStep =
  | 'close'
  | 'propose'
  | 'approve'
  | 'bank-confirmation'
  | 'fund'
  | 'reclaim'
  | 'receivable';

/** The subject of a period's actions (close, propose, approve): the period id as a word. */
export function periodSubject(periodId: number | bigint): Hex {
  return pad(toHex(BigInt(periodId)), { size: 32 });
}

/** A funding request's key on chain: keccak256 of the client's request id. */
export function fundingKeyOf(requestId: string): Hex {
  return keccak256(toBytes(requestId));
}

/**
 * The subject of a receivable settlement, as the hub computes it: keccak256(abi.encode(provider,
 * requestKey)), the request key being keccak256 of the client's request id (used once on chain).
 */
export function receivableSubject(providerId: number, requestId: string): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'uint32' }, { type: 'bytes32' }], [providerId, fundingKeyOf(requestId)]),
  );
}

/** The deadline a challenge names: the signing window from now, in unix seconds. */
export function signingDeadline(deps: DomainDeps): number {
  return Math.floor(deps.now().getTime() / 1000) + SIGNING_WINDOW_SECONDS;
}

/** The EIP-712 digest of the hub's OfficerAction: what the officer's passkey signs. */
export async function officerActionDigest(
  chain: ChainGateway,
  action: OfficerAction,
  deadline: number,
): Promise<Hex> {
  const hub = { address: chain.addresses.hub, abi: voucherHubAbi } as const;
  const actionHash = (await chain.publicClient.readContract({
    ...hub,
    functionName: action.action,
  } as never)) as Hex;
  return chain.publicClient.readContract({
    ...hub,
    functionName: 'officerActionDigest',
    args: [
      actionHash,
      action.municipalityId,
      action.programId ?? 0n,
      action.subject,
      action.amountOre,
      deadline,
    ],
  });
}

/**
 * A challenge's signing fields: the deadline and the digest over the action with it. Two
 * officers asked in the same second get the same digest, which is fine: the hub uses a
 * signature once per signer, and the outbox keys each relay by digest and signer.
 */
export async function officerChallenge(
  deps: DomainDeps,
  chain: ChainGateway,
  action: OfficerAction,
): Promise<{ deadline: number; digest: Hex }> {
  const deadline = signingDeadline(deps);
  return { deadline, digest: await officerActionDigest(chain, action, deadline) };
}

export interface OfficerSigned {
  digest: Hex;
  passkey: VerifiedStaffAssertion;
  /** The hub's OfficerSignature argument, as the outbox stores it. */
  signature: { signer: Hex; deadline: string; auth: Hex };
}

/**
 * Checks the officer's signature before anything is relayed: the deadline has not passed, and
 * the assertion is the caller's own active passkey over exactly the digest the service
 * recomputes from the chain and the database (not whatever the client says it signed).
 */
export async function verifyOfficerSignature(
  deps: DomainDeps,
  chain: ChainGateway,
  params: { actor: AccessClaims; action: OfficerAction; deadline: number; assertion: StaffAssertion },
): Promise<OfficerSigned> {
  if (params.deadline * 1000 < deps.now().getTime()) throw new AppError('OFFICER_SIGNATURE_EXPIRED');
  const digest = await officerActionDigest(chain, params.action, params.deadline);
  const passkey = await verifyStaffAssertion(deps, {
    actor: params.actor,
    digest,
    assertion: params.assertion,
  });
  await assertPasskeyApproved(deps, chain, params.actor, passkey.address);
  return {
    digest,
    passkey,
    signature: { signer: passkey.address, deadline: String(params.deadline), auth: passkey.encoded },
  };
}

/**
 * Enqueues the signed call (the OfficerSignature last, as every signed hub function takes it)
 * and audits who signed it with which passkey, in the caller's transaction. The audit entry's
 * `step`, `passkeyId` and `outboxId` are what settlement and funding views read back.
 */
export async function relaySigned(
  tx: Transaction,
  params: {
    actor: AccessClaims;
    signed: OfficerSigned;
    step: SignedStep;
    kind: string;
    functionName: string;
    args: readonly ChainArg[];
    idempotencyKey: string;
    audit: { municipalityId: number; action: string; subjectType: string; subjectId: string };
    details?: Record<string, string | number | boolean | null | number[]>;
  },
): Promise<bigint> {
  const { signed } = params;
  const outboxId = await enqueueChainWrite(tx, {
    kind: params.kind,
    contract: 'hub',
    functionName: params.functionName,
    args: [...params.args, signed.signature],
    // One relay per signer and digest: two officers' signatures never share an outbox row.
    idempotencyKey: `${params.idempotencyKey}:${signed.passkey.address.toLowerCase()}`,
  });
  await appendAudit(tx, {
    ...auditActor(params.actor),
    ...params.audit,
    details: {
      ...params.details,
      step: params.step,
      passkeyId: signed.passkey.passkeyId,
      signer: signed.passkey.address,
      digest: signed.digest,
      outboxId: outboxId.toString(),
    },
  });
  return outboxId;
}
