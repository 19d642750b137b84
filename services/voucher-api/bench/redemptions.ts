/**
 * `npm run bench`: end-to-end redemptions over HTTP against the API started as a child
 * process, driven open loop at fixed arrival rates, then raw eKrone transfers from viem to the
 * same chain. The last line is one JSON object.
 *
 * Chain: an anvil with instant mining that the bench starts and deploys to, handed to the API
 * as `RPC_URL` the way production hands it its node. (`npm start`'s embedded anvil also writes
 * its whole state to disk every 2 s so a hard crash loses little; each write stalls the node
 * for up to ~150 ms as the chain grows, which is not the service's latency.)
 *
 * Database: with `BENCH_DATABASE_URL` (or `TEST_DATABASE_URL`, as tools/with-postgres.sh
 * exports it; `npm run bench` runs under it) a fresh PostgreSQL database is created for the
 * run and dropped afterwards; without either (`npm run bench:pglite`) the API runs on
 * embedded PGlite, whose single connection serialises every query.
 * `BENCH_SECONDS` shortens or lengthens each phase; `BENCH_CPU_PROF=<dir>` writes a V8 CPU
 * profile of the API process there. For experiments: `BENCH_ONLY=latency` (or `throughput`)
 * runs one phase, `BENCH_RATE` changes the latency phase's rate, and `BENCH_NODE_FLAGS` passes
 * flags to the API's node (e.g. `--max-semi-space-size=2`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ekroneAbi, readDeployment } from '@voucher/contracts';
import postgres from 'postgres';
import { createPublicClient, defineChain, encodeFunctionData, type Hex, hexToBytes, http } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { deployToDevChain } from '../src/chain/bootstrap.ts';
import { ANVIL_DEV_ADMIN_KEY, ANVIL_DEV_OPERATOR_KEY } from '../src/chain/config.ts';
import { findFreeLoopbackPort, type LocalAnvil, startLocalAnvil } from '../src/chain/local-anvil.ts';
import { signStaticPass } from '../src/passes/static-pass.ts';
import { signRedemption } from '../src/redemptions/test-world.ts';
import { demoPassword } from '../src/seed/demo.ts';
import { pairingMessage } from '../src/terminals/pair-terminal.ts';
import { buildServer } from '../tools/build-server.ts';

const CITIZENS = 40;
const TERMINALS = 4;
const PHASE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PHASES_ALL = [
  { name: 'latency', ratePerSec: Number(process.env.BENCH_RATE ?? 100), seconds: PHASE_SECONDS },
  { name: 'throughput', ratePerSec: 250, seconds: PHASE_SECONDS },
];
const PHASES = process.env.BENCH_ONLY
  ? PHASES_ALL.filter((p) => p.name === process.env.BENCH_ONLY)
  : PHASES_ALL;
const RAW_TRANSFERS = 2000;
const AMOUNT_ORE = 10n;

interface Api {
  url: string;
  child: ChildProcess;
}

/** A throwaway PostgreSQL database for one run, or none (PGlite) when no server is given. */
async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) return undefined;
  const name = `voucher_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // The API reaches a server on this machine through its Unix socket when the socket's
  // directory is known, as a production deployment next to its database would.
  const socketDirectory = process.env.BENCH_DATABASE_SOCKET_DIR ?? process.env.TEST_DATABASE_SOCKET_DIR;
  if (socketDirectory) url.searchParams.set('host', socketDirectory);
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** The bench's own anvil with the contracts deployed, and what the API needs to use it. */
async function startBenchChain(dataDir: string): Promise<{ anvil: LocalAnvil; env: Record<string, string> }> {
  const anvil = await startLocalAnvil();
  try {
    const deploymentFile = join(dataDir, 'deployment.json');
    await deployToDevChain(anvil.rpcUrl, deploymentFile, ANVIL_DEV_OPERATOR_KEY);
    const env = {
      RPC_URL: anvil.rpcUrl,
      DEPLOYMENT_FILE: deploymentFile,
      OPERATOR_PRIVATE_KEY: ANVIL_DEV_OPERATOR_KEY,
      DEVELOPMENT_ADMIN_PRIVATE_KEY: ANVIL_DEV_ADMIN_KEY,
      // Instant mining: a mined block is final, as on the embedded chain.
      CHAIN_CONFIRMATIONS: '0',
    };
    return { anvil, env };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

async function startApi(
  secrets: Record<string, string>,
  databaseUrl: string | undefined,
  dataDir: string,
  chainEnv: Record<string, string>,
): Promise<Api> {
  const port = await findFreeLoopbackPort();
  const profileDir = process.env.BENCH_CPU_PROF;
  const nodeArgs = [
    ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ];
  // The API as `npm start` runs it: compiled, without the TypeScript loader.
  const server = await buildServer();
  const child = spawn(process.execPath, [...nodeArgs, server], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      ...secrets,
      ...chainEnv,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl, SEED_DEMO: 'true' } : {}),
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      SCAN_LIMIT_PER_PROVIDER_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The API's own log (warnings and up unless BENCH_LOG_LEVEL says otherwise) goes to a file.
  const logFile = join(tmpdir(), `voucher-bench-api-${child.pid}.log`);
  child.stdout?.pipe(createWriteStream(logFile));
  console.log(`API log: ${logFile}`);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/public/chain`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
    await sleep(500);
  }
  throw new Error('API did not start');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(api: Api, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  // biome-ignore lint/suspicious/noExplicitAny: bench glue over the API's JSON answers
  return json as Record<string, any>;
}

async function login(api: Api, username: string): Promise<string> {
  return (await call(api, 'POST', '/auth/login', undefined, { username, password: demoPassword(username) }))
    .accessToken;
}

function person(i: number) {
  const day = String((i % 27) + 1).padStart(2, '0');
  return {
    cpr: `${day}0190-${i % 4}${String(500 + i).padStart(3, '0')}`,
    name: `Bench Person ${i}`,
    address: { street: `Benchvej ${i}`, postalCode: '9999', city: 'Benchby' },
    birthDate: `1990-01-${day}`,
    childrenBirthYears: [2018],
    contact: { email: `bench${i}@example.invalid` },
    householdIncomeOre: '10000000',
  };
}

interface Prepared {
  body: unknown;
  token: string;
}

interface Result {
  latencyMs: number;
  status: number;
  doneAt: number;
}

// The load generator shares the 2 cores with what it measures, so it uses plain node:http
// over kept-alive connections (fetch costs several times more CPU per request).
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** POSTs JSON and answers the status code once the whole response has arrived (0 on a network error). */
function postJson(baseUrl: string, path: string, token: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const request = httpRequest(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(payload);
  });
}

/** Open loop: request k leaves at start + k/rate whether or not earlier ones have answered. */
async function drive(api: Api, requests: Prepared[], ratePerSec: number) {
  const start = performance.now();
  const pending = requests.map(async (request, k) => {
    const due = start + (k * 1000) / ratePerSec;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAt = performance.now();
    const status = await postJson(api.url, '/redemptions', request.token, request.body);
    const doneAt = performance.now();
    return { latencyMs: doneAt - sentAt, status, doneAt } satisfies Result;
  });
  const results = await Promise.all(pending);
  const ok = results.filter((r) => r.status === 200);
  const end = Math.max(...results.map((r) => r.doneAt));
  const sorted = ok.map((r) => r.latencyMs).sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  const statuses: Record<number, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return { ok: ok.length, perSec: ok.length / ((end - start) / 1000), p50: pct(50), p99: pct(99), statuses };
}

/** User plus system CPU time a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function currentRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN') / 1024);
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return Math.round(kb / 1024);
}

async function rawTransfers(dataDir: string, rpcUrl: string, recipient: Hex): Promise<number> {
  const deployment = readDeployment(join(dataDir, 'deployment.json'));
  const chain = defineChain({
    id: deployment.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  const operator = privateKeyToAccount(ANVIL_DEV_OPERATOR_KEY);
  const block = await client.getBlock();
  const fees =
    block.baseFeePerGas === 0n
      ? { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }
      : { maxFeePerGas: (block.baseFeePerGas ?? 0n) * 2n + 1n, maxPriorityFeePerGas: 1n };
  // The API's outbox signs with the same operator key (grants and terminals of the set-up are
  // still on their way): start once it has gone quiet, or the two would race for nonces.
  await operatorIdle(client, operator.address);
  let nonce = await client.getTransactionCount({ address: operator.address, blockTag: 'pending' });
  const sign = (functionName: 'mint' | 'transfer', args: readonly [Hex, bigint]) =>
    operator.signTransaction({
      chainId: chain.id,
      to: deployment.ekrone,
      data: encode(functionName, args),
      nonce: nonce++,
      gas: 120_000n,
      ...fees,
    });
  const mint = await sign('mint', [operator.address, BigInt(RAW_TRANSFERS)]);
  await client.waitForTransactionReceipt({
    hash: await client.sendRawTransaction({ serializedTransaction: mint }),
  });
  const signed: Hex[] = [];
  for (let i = 0; i < RAW_TRANSFERS; i++) signed.push(await sign('transfer', [recipient, 1n]));
  const start = performance.now();
  const hashes: Hex[] = [];
  for (let i = 0; i < signed.length; i += 64) {
    hashes.push(
      ...(await Promise.all(
        signed.slice(i, i + 64).map((tx) => client.sendRawTransaction({ serializedTransaction: tx })),
      )),
    );
  }
  await untilMinedThrough(client, operator.address, nonce, signed);
  const last = await client.getTransactionReceipt({ hash: hashes[hashes.length - 1] as Hex });
  const seconds = (performance.now() - start) / 1000;
  if (last.status !== 'success') throw new Error('raw transfer reverted');
  return RAW_TRANSFERS / seconds;
}

/**
 * Waits until the account's mined nonce reaches `endNonce`. Sent 64 at a time, transfers reach
 * anvil out of nonce order, and now and then its pool stops short: the next transaction is
 * "already imported" but never mined, and sending it again or mining does not help. When the
 * count stops moving, the bench empties anvil's pool (only these transfers are in it: the API's
 * outbox is idle) and sends the rest again one by one, in order; after a few tries it gives up
 * with an error rather than wait forever. The time this takes counts against the raw figure.
 */
async function untilMinedThrough(
  client: ReturnType<typeof createPublicClient>,
  address: Hex,
  endNonce: number,
  signed: readonly Hex[],
): Promise<void> {
  const firstNonce = endNonce - signed.length;
  let last = -1;
  let stalledPolls = 0;
  let nudges = 0;
  for (;;) {
    const mined = await client.getTransactionCount({ address, blockTag: 'latest' });
    if (mined >= endNonce) return;
    stalledPolls = mined === last ? stalledPolls + 1 : 0;
    last = mined;
    if (stalledPolls >= 20) {
      if (++nudges > 5) throw new Error(`raw transfers: anvil stays stuck at nonce ${mined}`);
      stalledPolls = 0;
      console.log(`raw transfers: anvil stalled at nonce ${mined}; sending the rest again in order`);
      await client.request({ method: 'anvil_dropAllTransactions' } as never);
      for (const tx of signed.slice(mined - firstNonce)) {
        await client.sendRawTransaction({ serializedTransaction: tx });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function operatorIdle(client: ReturnType<typeof createPublicClient>, address: Hex): Promise<void> {
  let last = -1;
  let quietSeconds = 0;
  for (let i = 0; i < 600; i++) {
    const pending = await client.getTransactionCount({ address, blockTag: 'pending' });
    const mined = await client.getTransactionCount({ address, blockTag: 'latest' });
    quietSeconds = pending === mined && mined === last ? quietSeconds + 1 : 0;
    if (quietSeconds >= 3) return;
    last = mined;
    await sleep(1000);
  }
  throw new Error("the API's outbox did not go quiet");
}

function encode(functionName: 'mint' | 'transfer', args: readonly [Hex, bigint]): Hex {
  return encodeFunctionData({ abi: ekroneAbi, functionName, args } as never);
}

async function main() {
  const passKey = generateKeyPairSync('ed25519').privateKey;
  const secrets = {
    MASTER_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASS_SIGNING_KEY: passKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
  const database = await createBenchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'voucher-bench-'));
  const chain = await startBenchChain(dataDir);
  try {
    console.log(`starting the API on ${database ? 'PostgreSQL' : 'embedded PGlite'} with a local anvil…`);
    const api = await startApi(secrets, database?.url, dataDir, chain.env);
    try {
      await measure(api, passKey, chain.anvil.rpcUrl, dataDir);
    } finally {
      api.child.kill('SIGTERM');
      await new Promise((resolve) => api.child.once('exit', resolve));
    }
  } finally {
    await chain.anvil.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
}

/** Sets up terminals and citizens through the API, then runs the phases and prints the figures. */
async function measure(api: Api, passKey: KeyObject, rpcUrl: string, dataDir: string) {
  const caseworker = await login(api, 'demo.caseworker');
  const sportToken = await login(api, 'demo.sport');
  const provider = (await call(api, 'GET', '/providers', sportToken))[0] as {
    id: number;
    payoutAddress: Hex;
  };
  const providerId = provider.id;

  console.log(`pairing ${TERMINALS} terminals and enrolling ${CITIZENS} citizens…`);
  const terminals: PrivateKeyAccount[] = [];
  for (let t = 0; t < TERMINALS; t++) {
    const account = privateKeyToAccount(generatePrivateKey());
    const { code } = await call(api, 'POST', `/providers/${providerId}/pairing-codes`, sportToken);
    await call(api, 'POST', '/terminals', undefined, {
      pairingCode: code,
      address: account.address,
      label: `Bench ${t + 1}`,
      signature: await account.signMessage({ message: pairingMessage(code) }),
    });
    terminals.push(account);
  }
  const chainInfo = await call(api, 'GET', '/public/chain');
  const scans: { scanId: string; account: Hex }[] = [];
  let programId: bigint | undefined;
  for (let i = 0; i < CITIZENS; i++) {
    const enrolled = await call(api, 'POST', '/citizens', caseworker, person(i));
    const scanOnce = async () => {
      const pass = signStaticPass(passKey, {
        accountId: Buffer.from(hexToBytes(enrolled.accountId)),
        serial: BigInt(enrolled.passSerial),
        issuedAt: new Date(),
      });
      return call(api, 'POST', '/scans', sportToken, { pass });
    };
    if (programId === undefined) {
      // The demo credit program (Børnepakke) accepts the sport club; no per-window limit.
      const programs = (await call(api, 'GET', '/programs', caseworker)) as unknown as {
        id: string;
        kind: string;
      }[];
      const credit = programs.find((program) => program.kind === 'credit');
      if (!credit) throw new Error('the demo seed has no credit program');
      programId = BigInt(credit.id);
    }
    await call(api, 'POST', `/citizens/${enrolled.citizenId}/grants`, caseworker, {
      programId: programId.toString(),
    });
    const scan = await scanOnce();
    scans.push({ scanId: scan.scanId, account: enrolled.accountId });
  }
  const nextIds = terminals.map(() => 1n);
  const deadline = Math.floor(Date.now() / 1000) + 3600;
  const prepare = async (count: number): Promise<Prepared[]> => {
    const out: Prepared[] = [];
    for (let k = 0; k < count; k++) {
      const terminal = terminals[k % TERMINALS] as PrivateKeyAccount;
      const t = k % TERMINALS;
      const id = nextIds[t] as bigint;
      nextIds[t] = id + 1n;
      const scan = scans[k % CITIZENS] as { scanId: string; account: Hex };
      const signature = await signRedemption(
        terminal,
        { chainId: chainInfo.chainId, hub: chainInfo.hub },
        {
          id,
          account: scan.account,
          program: programId as bigint,
          provider: providerId,
          amountOre: AMOUNT_ORE,
          deadline,
        },
      );
      out.push({
        token: sportToken,
        body: {
          scanId: scan.scanId,
          terminal: terminal.address,
          redemptionId: id.toString(),
          programId: (programId as bigint).toString(),
          amountOre: AMOUNT_ORE.toString(),
          deadline,
          signature,
        },
      });
    }
    return out;
  };
  // Raw transfers first, while the API's outbox is idle (the operator mints their eKrone).
  const rawPerSec = await rawTransfers(dataDir, rpcUrl, provider.payoutAddress);
  console.log(`API RSS before load: ${currentRssMb(api.child.pid as number)} MB`);
  // A short warm-up so JIT and first-of-period storage writes are not measured.
  await drive(api, await prepare(100), 50);
  const reports: Record<string, Awaited<ReturnType<typeof drive>>> = {};
  for (const phase of PHASES) {
    const requests = await prepare(phase.ratePerSec * phase.seconds);
    const cpuBefore = cpuSeconds(api.child.pid as number);
    reports[phase.name] = await drive(api, requests, phase.ratePerSec);
    const apiCpuMs = ((cpuSeconds(api.child.pid as number) - cpuBefore) * 1000) / requests.length;
    const r = reports[phase.name];
    console.log(
      `${phase.ratePerSec}/s offered for ${phase.seconds}s: ${r?.perSec.toFixed(1)} redemptions/s confirmed, p50 ${r?.p50.toFixed(1)} ms, p99 ${r?.p99.toFixed(1)} ms, statuses ${JSON.stringify(r?.statuses)}, API CPU ${apiCpuMs.toFixed(2)} ms per redemption`,
    );
  }
  const rssMb = peakRssMb(api.child.pid as number);
  console.log(`raw eKrone transfers: ${rawPerSec.toFixed(1)}/s; API peak RSS ${rssMb} MB`);
  const throughput = (reports.throughput ?? reports.latency) as Awaited<ReturnType<typeof drive>>;
  const latency = reports.latency as Awaited<ReturnType<typeof drive>>;
  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      redemptionsPerSec: round(throughput.perSec),
      p50Ms: round(latency.p50),
      p99Ms: round(latency.p99),
      rawTransfersPerSec: round(rawPerSec),
      ratio: Math.round((throughput.perSec / rawPerSec) * 1000) / 1000,
      rssMb,
    }),
  );
}

await main();
