import { join } from 'node:path';
import { closeDatabase, createDatabase, type Database, migrate, municipalities } from '@voucher/db';
import { asc } from 'drizzle-orm';
import { type ChainGateway, createChainGateway } from '../chain/gateway.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { catchUpIndex, readOpenPeriod } from '../periods/chain-access.ts';
import { type ReconciliationReport, reconcilePeriod } from '../reconciliation/reconcile-period.ts';

/**
 * `npm run reconcile`: compares the database with the chain for every period of every
 * municipality and exits 1
 * listing each difference (0 when all agree). Uses the same configuration as the API:
 * the embedded PGlite and anvil in DATA_DIR by default (stop the API first: an embedded
 * database has one writer), or DATABASE_URL with RPC_URL and DEPLOYMENT_FILE.
 * `--json` prints the reports as one JSON document; `--period N` checks period N of each
 * municipality.
 */
export async function reconcileAll(
  db: Database,
  chain: ChainGateway,
  only?: number,
): Promise<ReconciliationReport[]> {
  await catchUpIndex(chain);
  const tenants = await db
    .select({ id: municipalities.id })
    .from(municipalities)
    .orderBy(asc(municipalities.id));
  const reports: ReconciliationReport[] = [];
  for (const { id: municipalityId } of tenants) {
    const open = await readOpenPeriod(chain, municipalityId);
    // A municipality the chain does not know yet (period 0) has nothing to reconcile.
    if (open.periodId === 0) continue;
    const periods = only ? [only] : Array.from({ length: open.periodId }, (_, index) => index + 1);
    for (const periodId of periods)
      reports.push(await reconcilePeriod(db, chain, { municipalityId, periodId }));
  }
  return reports;
}

export function formatReports(reports: ReconciliationReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    const state = report.closed ? 'closed' : 'open';
    lines.push(
      `municipality ${report.municipalityId} period ${report.periodId} (${state}): chain ${report.chain.redemptions} redemptions ${report.chain.grossOre} øre, ` +
        `${report.chain.reversals} voids/refunds ${report.chain.reversedOre} øre, net ${report.chain.totalOre} øre; ` +
        `database ${report.database.redemptions} redemptions, ${report.database.reversals} voids/refunds, net ${report.database.totalOre} øre; ` +
        `paid and set off ${report.chain.paidOre} øre: ` +
        (report.clean ? 'OK' : `${report.differences.length} difference(s)`),
    );
    for (const difference of report.differences) {
      const where = [
        difference.providerId === undefined ? undefined : `provider ${difference.providerId}`,
        difference.terminal ? `terminal ${difference.terminal}` : undefined,
        difference.redemptionId ? `redemption ${difference.redemptionId}` : undefined,
        difference.reversalId ? `reversal ${difference.reversalId}` : undefined,
      ].filter(Boolean);
      const values = [
        difference.database === undefined ? undefined : `database=${difference.database}`,
        difference.chain === undefined ? undefined : `chain=${difference.chain}`,
      ].filter(Boolean);
      lines.push(
        `  - ${difference.kind}${where.length ? ` (${where.join(', ')})` : ''}${values.length ? `: ${values.join(' ')}` : ''}`,
      );
    }
  }
  const differences = reports.reduce((sum, report) => sum + report.differences.length, 0);
  lines.push(
    differences === 0 ? 'reconcile: database and chain agree' : `reconcile: ${differences} difference(s)`,
  );
  return lines.join('\n');
}

/**
 * PGlite and the embedded anvil belong to the process that opened them: a second opener
 * would read a stale chain copy and risk the database. Only the embedded default has this.
 */
async function embeddedApiRunning(config: Config): Promise<boolean> {
  if (config.databaseUrl || config.rpcUrl) return false;
  try {
    const response = await fetch(`http://${config.host}:${config.port}/healthz`, {
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function main(args: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  const periodArg = args.indexOf('--period');
  const only = periodArg >= 0 ? Number(args[periodArg + 1]) : undefined;
  if (only !== undefined && !(Number.isInteger(only) && only > 0)) {
    console.error('--period needs a period number, e.g. --period 3');
    return 64;
  }
  if (await embeddedApiRunning(config)) {
    console.error(
      `The API is running on ${config.host}:${config.port} with the embedded database and chain in ${config.dataDir}; ` +
        'they have one owner at a time. Stop it (Ctrl-C) and run npm run reconcile again.',
    );
    return 75;
  }
  const db = createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  let chain: ChainGateway | undefined;
  try {
    await migrate(db);
    chain = await createChainGateway(config, db, silent);
    const reports = await reconcileAll(db, chain, only);
    console.log(args.includes('--json') ? JSON.stringify(reports, null, 2) : formatReports(reports));
    return reports.every((report) => report.clean) ? 0 : 1;
  } finally {
    await chain?.close();
    await closeDatabase(db);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
