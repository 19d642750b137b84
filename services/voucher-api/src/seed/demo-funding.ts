import { chainOutbox } from '@voucher/db';
import { asc, inArray } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { fundingChallenge, fundProgramSigned, listFundings } from '../programs/program-funding.ts';
import { DemoSeedRefusedError, type DemoSigningKey } from './demo-treasury-key.ts';

/** How long the seed waits for the chain to take what it queued before funding. */
const SETTLE_TIMEOUT_MS = 120_000;

/**
 * The demo seed's funding: the demo treasury officer's key, held by the seed, signs the
 * program's funding challenge and the API relays it (fundProgramSigned), exactly as an
 * officer's passkey does in the console. The service's own key mints nothing. A request the
 * chain already funded (a crash after the relay) is only brought in line with the chain.
 */
export async function fundDemoProgram(
  deps: DomainDeps,
  params: {
    officer: AccessClaims;
    key: DemoSigningKey;
    programId: bigint;
    amountOre: bigint;
    requestId: string;
  },
): Promise<void> {
  const { officer, key, programId, amountOre, requestId } = params;
  const request = { actor: officer, programId, amountOre, requestId };
  let challenge: Awaited<ReturnType<typeof fundingChallenge>>;
  try {
    challenge = await fundingChallenge(deps, request);
  } catch (error) {
    if (error instanceof AppError && error.code === 'FUNDING_ALREADY_FUNDED') {
      await listFundings(deps, { actor: officer, programId });
      return;
    }
    throw error;
  }
  const funding = await fundProgramSigned(deps, {
    ...request,
    deadline: challenge.deadline,
    assertion: key.sign(challenge.digest),
  });
  if (funding.status !== 'funded') {
    throw new DemoSeedRefusedError(
      `The demo funding of program ${programId} is ${funding.status}, not funded: is the chain running?`,
    );
  }
}

/**
 * Waits until every chain write queued so far has been taken or refused: the municipality's
 * set-up, its programs and the officer's key and roles must be on chain before a signature
 * that relies on them is relayed (the outbox simulates each call before sending it).
 */
export async function settleQueuedWrites(deps: DomainDeps): Promise<void> {
  const chain = deps.chain;
  if (!chain)
    throw new DemoSeedRefusedError('The demo seed funds its programs on chain: start it with a chain.');
  const open = await deps.db
    .select({ id: chainOutbox.id })
    .from(chainOutbox)
    .where(inArray(chainOutbox.status, ['queued', 'signed', 'sent']))
    .orderBy(asc(chainOutbox.id));
  for (const row of open) {
    const outcome = await chain.outbox.waitFor(row.id, SETTLE_TIMEOUT_MS);
    if (outcome.status === 'pending') {
      throw new DemoSeedRefusedError(
        `The chain did not take outbox row ${row.id} in time; the demo is not funded.`,
      );
    }
  }
}
