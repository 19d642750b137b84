import {
  appendAudit,
  type JsonObject,
  type NewProgram,
  programProviders,
  programs,
  providerAdmissions,
} from '@voucher/db';
import { and, eq, inArray } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { type Category, categoriesToMask } from '../categories.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { type ProgramView, toProgramView } from './program-view.ts';

export interface CreateProgramParams {
  actor: AccessClaims;
  name: string;
  description?: string;
  kind: 'credit' | 'uses';
  creditOre?: bigint;
  usesPerGrant?: number;
  /** Defaults to the whole credit for credit programs; required for uses programs. */
  maxPerUseOre?: bigint;
  usesPerWindow?: number;
  windowDays?: number;
  categories: Category[];
  providerIds?: number[];
  validFrom: Date;
  validUntil: Date;
  eligibilityRule?: JsonObject;
}

const UINT64_MAX = 2n ** 64n - 1n;
const SECONDS_PER_DAY = 86_400;

/** Creates a draft program and tells the chain its rules, in one transaction. */
export async function createProgram(deps: DomainDeps, params: CreateProgramParams): Promise<ProgramView> {
  const values = programRow(params);
  const providerIds = [...new Set(params.providerIds ?? [])];
  return deps.db.transaction(async (tx) => {
    if (providerIds.length > 0) {
      // Only providers this municipality admitted: another municipality's provider is as
      // unknown here as a missing one.
      const found = await tx
        .select({ id: providerAdmissions.providerId })
        .from(providerAdmissions)
        .where(
          and(
            eq(providerAdmissions.municipalityId, params.actor.municipalityId),
            inArray(providerAdmissions.providerId, providerIds),
          ),
        );
      if (found.length !== providerIds.length)
        throw new AppError('PROGRAM_RULES_INVALID', { field: 'providerIds' });
    }
    const [program] = await tx.insert(programs).values(values).returning();
    if (!program) throw new Error('program insert returned nothing');
    const id = program.id.toString();
    if (providerIds.length > 0) {
      await tx
        .insert(programProviders)
        .values(providerIds.map((providerId) => ({ programId: program.id, providerId })));
    }
    await enqueueChainWrite(tx, {
      kind: 'program.create',
      contract: 'hub',
      functionName: 'createProgram',
      args: [id, onChainConfig(values, providerIds.length > 0)],
      idempotencyKey: `program:${id}:create`,
    });
    for (const providerId of providerIds) {
      await enqueueChainWrite(tx, {
        kind: 'program.allow-provider',
        contract: 'hub',
        functionName: 'setProgramProvider',
        args: [id, String(providerId), true],
        idempotencyKey: `program:${id}:provider:${providerId}:allow`,
      });
    }
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId: program.municipalityId,
      action: 'program.created',
      subjectType: 'program',
      subjectId: id,
      details: { kind: program.kind, categories: program.categories, providerIds },
    });
    return toProgramView(
      program,
      providerIds.sort((a, b) => a - b),
    );
  });
}

/** Checks that the rules hang together and turns them into a row. */
function programRow(params: CreateProgramParams): NewProgram & { maxPerUseOre: bigint } {
  const invalid = (field: string) => new AppError('PROGRAM_RULES_INVALID', { field });
  const isCredit = params.kind === 'credit';
  if (
    isCredit &&
    (params.creditOre === undefined || params.creditOre <= 0n || params.usesPerGrant !== undefined)
  ) {
    throw invalid('creditOre');
  }
  if (!isCredit && (params.usesPerGrant === undefined || params.creditOre !== undefined))
    throw invalid('usesPerGrant');
  const maxPerUseOre = params.maxPerUseOre ?? (isCredit ? params.creditOre : undefined);
  if (maxPerUseOre === undefined || maxPerUseOre <= 0n || maxPerUseOre > UINT64_MAX)
    throw invalid('maxPerUseOre');
  if (params.creditOre !== undefined && params.creditOre > UINT64_MAX) throw invalid('creditOre');
  if ((params.usesPerWindow === undefined) !== (params.windowDays === undefined)) throw invalid('windowDays');
  if (params.validUntil <= params.validFrom) throw invalid('validUntil');
  return {
    municipalityId: params.actor.municipalityId,
    name: params.name.trim(),
    description: params.description?.trim() ?? '',
    kind: params.kind,
    creditOre: params.creditOre ?? null,
    usesPerGrant: params.usesPerGrant ?? null,
    maxPerUseOre,
    usesPerWindow: params.usesPerWindow ?? null,
    windowDays: params.windowDays ?? null,
    categories: categoriesToMask(params.categories),
    validFrom: params.validFrom,
    validUntil: params.validUntil,
    eligibilityRule: params.eligibilityRule ?? null,
    createdBy: params.actor.sub,
  };
}

/** The contract's ProgramConfig struct, uints as decimal strings. */
function onChainConfig(row: NewProgram & { maxPerUseOre: bigint }, restrictedToProviders: boolean) {
  return {
    municipality: String(row.municipalityId),
    kind: row.kind === 'credit' ? '0' : '1',
    maxPerUseOre: row.maxPerUseOre.toString(),
    usesPerWindow: String(row.usesPerWindow ?? 0),
    windowSeconds: String((row.windowDays ?? 0) * SECONDS_PER_DAY),
    categories: String(row.categories),
    restrictedToProviders,
    validFrom: String(Math.floor(row.validFrom.getTime() / 1000)),
    validUntil: String(Math.floor(row.validUntil.getTime() / 1000)),
  };
}
