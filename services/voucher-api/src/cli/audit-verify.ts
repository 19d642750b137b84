import { join } from 'node:path';
import { closeDatabase, createDatabase, verifyAuditChain } from '@voucher/db';
import { ConfigError, loadConfig } from '../config.ts';

/**
 * `npm run audit:verify`: recomputes every link of the hash-chained audit log and exits 1
 * naming the first entry that does not fit (a gap, a broken link or a changed entry).
 */
async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  const db = createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  try {
    const report = await verifyAuditChain(db);
    if (report.ok) {
      console.log(`audit:verify: ${report.entries} entries, hash chain intact`);
      return 0;
    }
    console.error(
      `audit:verify: chain broken at entry ${report.brokenAtSeq} (${report.reason}); ${report.entries} entries before it are intact`,
    );
    return 1;
  } finally {
    await closeDatabase(db);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main();
}
