import { type Executor, providerAdmissions, providers } from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';

/**
 * Where a provider may take vouchers: municipality id → the categories that municipality
 * admitted it for. Only active admissions count; a provider suspended by one municipality
 * still serves the others, as on chain (`admitProvider(m, …, active)`).
 */
export type Admissions = ReadonlyMap<number, number>;

/** The active admissions of `providers.id` as one JSON object, for queries that read a provider. */
export const activeAdmissionsJson = sql<Record<string, number> | null>`(
  SELECT jsonb_object_agg(${providerAdmissions.municipalityId}, ${providerAdmissions.categories})
  FROM ${providerAdmissions}
  WHERE ${providerAdmissions.providerId} = ${providers.id} AND ${providerAdmissions.status} = 'active'
)`;

export function admissionsFromJson(json: Record<string, number> | null | undefined): Admissions {
  return new Map(
    Object.entries(json ?? {}).map(([municipality, categories]) => [Number(municipality), categories]),
  );
}

export async function loadAdmissions(db: Executor, providerId: number): Promise<Admissions> {
  const rows = await db
    .select({ municipalityId: providerAdmissions.municipalityId, categories: providerAdmissions.categories })
    .from(providerAdmissions)
    .where(and(eq(providerAdmissions.providerId, providerId), eq(providerAdmissions.status, 'active')));
  return new Map(rows.map((row) => [row.municipalityId, row.categories]));
}
