import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { voucherHubAbi } from '@voucher/contracts';
import { closeDatabase, createDatabase, type Database, migrate } from '@voucher/db';
import postgres from 'postgres';
import { type Hex, hexToBytes, parseEventLogs } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { virtualTreasuryKeys } from '../../../test/support/demo-treasury-key.ts';
import { officerSigning } from '../../../test/support/officer-signing.ts';
import { buildApp } from '../../app.ts';
import type { AccessClaims } from '../../auth/claims.ts';
import { deployToDevChain } from '../../chain/bootstrap.ts';
import { createChainPublicClient, describeChain } from '../../chain/clients.ts';
import { ANVIL_DEV_ADMIN_KEY, ANVIL_DEV_OPERATOR_KEY } from '../../chain/config.ts';
import { type ChainGateway, createChainGateway } from '../../chain/gateway.ts';
import { type LocalAnvil, startLocalAnvil } from '../../chain/local-anvil.ts';
import { drainUntilSettled, testLogger } from '../../chain/test-fixture.ts';
import { loadConfig } from '../../config.ts';
import type { DomainDeps } from '../../deps.ts';
import { grantProgram } from '../../eligibility/grant-program.ts';
import { createMunicipality } from '../../municipalities/create-municipality.ts';
import { currentPassText } from '../../passes/current-pass-text.ts';
import { enrolCitizen } from '../../privacy/enrol-citizen.ts';
import { createPairingCode } from '../../providers/create-pairing-code.ts';
import { signRedemption } from '../../redemptions/test-world.ts';
import { DEMO_MUNICIPALITY, demoPassword, seedDemo } from '../../seed/demo.ts';
import { claimsOfUsername } from '../../staff/staff-claims.ts';
import { pairingMessage, pairTerminal } from '../../terminals/pair-terminal.ts';

const API_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BORNEPAKKE = 'Børnepakke';
/** Providers with a Børnepakke redemption; with one provider per chunk, four payout transactions. */
const SHOPS = [
  { username: 'demo.sport', amountOre: 12_500n },
  { username: 'demo.clothing', amountOre: 59_995n },
  { username: 'demo.books', amountOre: 19_995n },
  { username: 'demo.children', amountOre: 45_000n },
];

/**
 * The API as its own process, killed with SIGKILL in the middle of a settlement batch:
 * some payout chunks mined, some lost from the node's mempool, the request still waiting.
 * After a restart, execute resumes and every provider ends up paid exactly once, and
 * `npm run reconcile` (the CLI, as a process) finds no difference.
 */
describe('settlement survives the API being killed mid-batch', () => {
  let anvil: LocalAnvil;
  let dataDir: string;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  let settlementId: string;
  let api: ChildProcess | undefined;

  beforeAll(async () => {
    anvil = await startLocalAnvil();
    dataDir = mkdtempSync(join(tmpdir(), 'voucher-settle-crash-'));
    await deployToDevChain(anvil.rpcUrl, join(dataDir, 'deployment.json'), ANVIL_DEV_OPERATOR_KEY);
    const database = await databaseForChild(dataDir);
    dropDatabase = database.drop;
    env = {
      DATA_DIR: dataDir,
      RPC_URL: anvil.rpcUrl,
      DEPLOYMENT_FILE: join(dataDir, 'deployment.json'),
      OPERATOR_PRIVATE_KEY: ANVIL_DEV_OPERATOR_KEY,
      DEVELOPMENT_ADMIN_PRIVATE_KEY: ANVIL_DEV_ADMIN_KEY,
      CHAIN_CONFIRMATIONS: '0',
      MASTER_KEY: randomBytes(32).toString('hex'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      PASS_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'der', type: 'pkcs8' })
        .toString('base64'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      SETTLEMENT_CHUNK_SIZE: '1',
      SETTLEMENT_WAIT_MS: '120000',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    };
    settlementId = await prepareApprovedSettlement(env);
  }, 300_000);

  afterAll(async () => {
    api?.kill('SIGKILL');
    await anvil?.stop();
    await dropDatabase?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('pays every provider exactly once after a SIGKILL mid-batch and a restart, and reconciles clean', async () => {
    const rpc = (method: string, params: unknown[] = []) => rpcCall(anvil.rpcUrl, method, params);
    await rpc('evm_setAutomine', [false]);
    api = startApi(env);
    const base = `http://127.0.0.1:${env.PORT}`;
    await waitUntilUp(base);
    const officer = await login(base, 'demo.finance2');
    // The request waits for the chain; the chain is not mining, so the batch hangs mid-way.
    const hanging = fetch(`${base}/settlements/${settlementId}/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}` },
    }).catch((error: unknown) => error);
    const pending = await waitForPendingTransactions(anvil.rpcUrl, SHOPS.length);
    // Two chunks get mined; the other two vanish from the node, as after an RPC failover.
    const byNonce = pending.sort((a, b) => Number(BigInt(a.nonce) - BigInt(b.nonce)));
    for (const tx of byNonce.slice(2)) await rpc('anvil_dropTransaction', [tx.hash]);
    await rpc('evm_mine');
    expect(await providerPaidLogs(anvil.rpcUrl)).toHaveLength(2);
    api.kill('SIGKILL');
    await onceExited(api);
    expect(await hanging).toBeInstanceOf(Error);

    await rpc('evm_setAutomine', [true]);
    api = startApi(env);
    await waitUntilUp(base);
    const resumed = await fetch(`${base}/settlements/${settlementId}/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await login(base, 'demo.finance1')}` },
    });
    const body = (await resumed.json()) as {
      status: string;
      paidProviderCount: number;
      totalOre: string;
      paidOre: string;
    };
    expect(resumed.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: 'paid', paidProviderCount: SHOPS.length });
    expect(body.paidOre).toBe(body.totalOre);

    const paid = await providerPaidLogs(anvil.rpcUrl);
    const perProvider = new Map<number, bigint[]>();
    for (const log of paid) {
      const amounts = perProvider.get(Number(log.args.provider)) ?? [];
      perProvider.set(Number(log.args.provider), [...amounts, log.args.amountOre]);
    }
    expect([...perProvider.values()].map((amounts) => amounts.length)).toEqual(SHOPS.map(() => 1));
    expect([...perProvider.values()].flat().sort()).toEqual(SHOPS.map((shop) => shop.amountOre).sort());
    const bankFile = await fetch(`${base}/settlements/${settlementId}/bank-file`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(bankFile.status).toBe(200);
    expect(await bankFile.text()).toContain(`<NbOfTxs>${SHOPS.length}</NbOfTxs>`);

    api.kill('SIGTERM');
    await onceExited(api);
    api = undefined;
    const reconcile = await runCli(['src/cli/reconcile.ts'], env);
    expect(reconcile.stdout, reconcile.stderr).toContain('database and chain agree');
    expect(reconcile.code).toBe(0);
    const audit = await runCli(['src/cli/audit-verify.ts'], env);
    expect(audit.stdout, audit.stderr).toContain('hash chain intact');
    expect(audit.code).toBe(0);
  }, 300_000);
});

/** A database the child process can open too: a PGlite folder, or a new PostgreSQL database. */
async function databaseForChild(dataDir: string): Promise<{ url?: string; drop?: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return {};
  const name = `voucher_crash_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  void dataDir;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * In this process: the demo municipality, a citizen with a Børnepakke, one redemption at
 * each shop through the real HTTP route, period 1 closed, proposed by one officer and
 * approved by another. Everything is then closed so the child API owns the database.
 */
async function prepareApprovedSettlement(env: Record<string, string>): Promise<string> {
  const config = loadConfig(env);
  const db: Database = createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'pglite'),
  });
  await migrate(db);
  await db.transaction((tx) => createMunicipality(tx, DEMO_MUNICIPALITY));
  const gateway = await createChainGateway(config, db, testLogger, { pollIntervalMs: 50 });
  const app = await buildApp({ config, db, chain: gateway });
  await app.ready();
  try {
    const deps = app.deps;
    await seedDemo(deps, { treasuryKeys: virtualTreasuryKeys(config) });
    await drainUntilSettled(gateway, db);
    const claims = (username: string) => claimsOf(deps, username);
    const citizen = await enrolCitizen(deps, {
      actor: await claims('demo.caseworker'),
      cpr: '150385-1234',
      name: 'Testperson Hemmeligsen',
      address: { street: 'Skjultvej 7', postalCode: '9999', city: 'Testby' },
      birthDate: '1985-03-15',
      childrenBirthYears: [2018],
      contact: { email: 'hemmelig@example.invalid' },
      householdIncomeOre: 10_000_000n,
    });
    const program = await deps.db.query.programs.findFirst({ where: (p, { eq }) => eq(p.name, BORNEPAKKE) });
    await grantProgram(deps, await claims('demo.caseworker'), {
      citizenId: citizen.citizenId,
      programId: program?.id as bigint,
    });
    await drainUntilSettled(gateway, db);
    const pass = (await currentPassText(deps, Buffer.from(hexToBytes(citizen.accountId)))).text;
    for (const [index, shop] of SHOPS.entries()) {
      const staff = await claims(shop.username);
      const terminal = await pairNewTerminal(deps, staff, gateway, db);
      await redeemOverHttp(app, gateway, staff, terminal, {
        pass,
        account: citizen.accountId,
        programId: program?.id as bigint,
        amountOre: shop.amountOre,
        id: BigInt(index + 1),
      });
    }
    const signing = officerSigning({
      app,
      db,
      gateway,
      token: async (username) => app.jwt.sign(await claims(username)),
    });
    const closed = await signing.signedStep('demo.finance1', '/periods/close/challenge', '/periods/close', {
      periodId: 1,
    });
    expect(closed.response.statusCode, closed.response.body).toBe(200);
    const { response: proposed } = await signing.signedStep(
      'demo.finance1',
      '/settlements/challenge',
      '/settlements',
      { periodId: 1 },
      (challenge) => ({ totalOre: challenge.totalOre }),
    );
    expect(proposed.statusCode, proposed.body).toBe(201);
    const id = proposed.json().id as string;
    const { response: approved } = await signing.signedStep(
      'demo.finance2',
      `/settlements/${id}/approve/challenge`,
      `/settlements/${id}/approve`,
    );
    expect(approved.json().status).toBe('approved');
    return id;
  } finally {
    await app.close();
    await gateway.close();
    await closeDatabase(db);
  }
}

function claimsOf(deps: DomainDeps, username: string): Promise<AccessClaims> {
  return claimsOfUsername(deps.db, username);
}

async function pairNewTerminal(deps: DomainDeps, staff: AccessClaims, gateway: ChainGateway, db: Database) {
  const account = privateKeyToAccount(generatePrivateKey());
  const { code } = await createPairingCode(deps, { actor: staff, providerId: staff.providerId as number });
  await pairTerminal(deps, {
    pairingCode: code,
    address: account.address,
    label: 'Kasse',
    signature: await account.signMessage({ message: pairingMessage(code) }),
  });
  await drainUntilSettled(gateway, db);
  return account;
}

async function redeemOverHttp(
  app: Awaited<ReturnType<typeof buildApp>>,
  gateway: ChainGateway,
  staff: AccessClaims,
  terminal: PrivateKeyAccount,
  redemption: { pass: string; account: Hex; programId: bigint; amountOre: bigint; id: bigint },
) {
  const headers = { authorization: `Bearer ${app.jwt.sign(staff)}` };
  const scan = await app.inject({
    method: 'POST',
    url: '/scans',
    headers,
    payload: { pass: redemption.pass },
  });
  expect(scan.statusCode, scan.body).toBe(200);
  const deadline = Math.floor(Date.now() / 1000) + 600;
  const message = {
    id: redemption.id,
    account: redemption.account,
    program: redemption.programId,
    provider: staff.providerId as number,
    amountOre: redemption.amountOre,
    deadline,
  };
  const signature = await signRedemption(
    terminal,
    { chainId: gateway.chainId, hub: gateway.addresses.hub },
    message,
  );
  const response = await app.inject({
    method: 'POST',
    url: '/redemptions',
    headers,
    payload: {
      scanId: scan.json().scanId,
      terminal: terminal.address,
      redemptionId: redemption.id.toString(),
      programId: redemption.programId.toString(),
      amountOre: redemption.amountOre.toString(),
      deadline,
      signature,
    },
  });
  expect(response.statusCode, response.body).toBe(200);
}

function startApi(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_ROOT,
    env: { ...process.env, ...env, TEST_DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function onceExited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilUp(base: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('API did not start');
}

async function login(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword(username) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function rpcCall(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

type PoolTx = { hash: Hex; nonce: string };

async function waitForPendingTransactions(url: string, count: number): Promise<PoolTx[]> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const content = (await rpcCall(url, 'txpool_content', [])) as {
      pending: Record<string, Record<string, PoolTx>>;
    };
    const pending = Object.values(content.pending).flatMap((byNonce) => Object.values(byNonce));
    if (pending.length >= count) return pending;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`fewer than ${count} transactions reached the mempool`);
}

async function providerPaidLogs(url: string) {
  const chain = await describeChain(url);
  const client = createChainPublicClient(chain, url);
  const logs = await client.getLogs({ fromBlock: 0n, toBlock: 'latest' });
  return parseEventLogs({ abi: voucherHubAbi, logs, eventName: 'ProviderPaid' });
}

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: API_ROOT,
      env: { ...process.env, ...env, TEST_DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
