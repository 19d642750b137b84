import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase, createDatabase, migrate } from '@voucher/db';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../errors/app-error.ts';
import { createOperator } from '../platform/create-operator.ts';
import { createFirstAdmin } from '../staff/create-first-admin.ts';

const USAGE = `Creates a municipality's first admin on the configured database (DATABASE_URL, or the
embedded one in DATA_DIR). The password is read from standard input, so it never appears in the
shell history or the process list:

  printf '%s' "$PASSWORD" | npm run admin:create -- --municipality 751 --municipality-name "Aarhus Kommune" --username anna.admin

A platform operator (creates municipalities, sees the service's health, no municipality's data):

  printf '%s' "$PASSWORD" | npm run admin:create -- --operator --username ops.olga
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      municipality: { type: 'string' },
      'municipality-name': { type: 'string' },
      username: { type: 'string' },
      operator: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const municipalityId = Number(values.municipality);
  const operator = values.operator === true;
  if (values.help || !values.username || (!operator && !Number.isInteger(municipalityId))) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 64;
  }
  const password = (await readStdin()).replace(/\r?\n$/, '');
  const config = loadConfig();
  const db = createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  try {
    await migrate(db);
    const deps = { config, db, now: () => new Date(), chain: undefined };
    if (operator) {
      const created = await createOperator(deps, { username: values.username, password });
      process.stdout.write(`Created platform operator "${created.username}".\n`);
      return 0;
    }
    const admin = await createFirstAdmin(deps, {
      municipalityId,
      municipalityName: values['municipality-name'],
      username: values.username,
      password,
    });
    process.stdout.write(`Created admin "${admin.username}" for municipality ${admin.municipalityId}.\n`);
    return 0;
  } finally {
    await closeDatabase(db);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof AppError) process.stderr.write(`${error.code}: ${error.message}\n`);
    else throw error;
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
