export { type AuditEntry, appendAudit } from './audit/append-audit.ts';
export { canonicalJson, type JsonObject, type JsonValue } from './audit/canonical-json.ts';
export { type AuditChainReport, verifyAuditChain } from './audit/verify-audit-chain.ts';
export {
  closeDatabase,
  closeDatabase as close,
  createDatabase,
  type Database,
  type DatabaseOptions,
  type Executor,
  executedRows,
  isPglite,
  jsonRows,
  migrate,
  migrationsFolder,
  type Schema,
  type Transaction,
} from './database.ts';
export { preparedOnce } from './prepared.ts';
export * as schema from './schema/index.ts';
export * from './schema/index.ts';
