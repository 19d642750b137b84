import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * The local chain for `npm start` and tests: anvil from the `@foundry-rs/anvil` npm package on
 * a free loopback port. Like a typical permissioned proof-of-authority network, gas is free
 * (base fee 0; transactions with zero fees are accepted), so staff signers (finance
 * officers) need no funding.
 */
export interface LocalAnvil {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** Stops anvil and waits until it has exited (and, with a state file, written it). */
  stop(): Promise<void>;
}

export interface LocalAnvilOptions {
  /** Loaded at start if present and written on exit; omit for a throwaway chain. */
  stateFile?: string;
  /** Seconds between state dumps while running, so a hard crash loses little. */
  stateIntervalSeconds?: number;
  /** Interval mining instead of one block per transaction. */
  blockTimeSeconds?: number;
  startTimeoutMs?: number;
  /** Another chain id than anvil's own, to stand in for a network that is not local (tests). */
  chainId?: number;
}

export const LOCAL_CHAIN_ID = 31337;
const STOP_TIMEOUT_MS = 10_000;

export async function startLocalAnvil(options: LocalAnvilOptions = {}): Promise<LocalAnvil> {
  const port = await findFreeLoopbackPort();
  // Its own process group: Ctrl-C reaches only the API, which stops its loops first and
  // then anvil, so nothing is sent to a chain that is already writing its state.
  const child = spawn(anvilBinary(), anvilArgs(port, options), {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  // If the API exits without stopping it (an uncaught error), anvil must not linger on.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stderr = collectTail(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(rpcUrl, exited, options.startTimeoutMs ?? 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`anvil did not start: ${(error as Error).message}${stderr() ? `\n${stderr()}` : ''}`);
  }
  return { rpcUrl, chainId: options.chainId ?? LOCAL_CHAIN_ID, stop: () => stopAnvil(child, exited) };
}

function anvilArgs(port: number, options: LocalAnvilOptions): string[] {
  const chainId = options.chainId ?? LOCAL_CHAIN_ID;
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId)];
  args.push('--base-fee', '0', '--gas-price', '0', '--quiet');
  if (options.blockTimeSeconds) args.push('--block-time', String(options.blockTimeSeconds));
  if (options.stateFile) {
    args.push('--state', options.stateFile);
    args.push('--state-interval', String(options.stateIntervalSeconds ?? 2));
  }
  return args;
}

/**
 * The native binary from the platform package, started directly rather than through the npm
 * wrapper script, so that our signals reach anvil itself and it can write its state.
 */
function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const name = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  try {
    const manifest = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`);
    const binary = join(dirname(manifest), 'bin', name);
    if (existsSync(binary)) return binary;
  } catch {
    // fall through to the clear error below
  }
  throw new Error(
    `anvil for ${process.platform}-${arch} is not installed; run "npm ci" (it comes with @foundry-rs/anvil)`,
  );
}

export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(rpcUrl: string, exited: Promise<number | null>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline) {
    if (gone) throw new Error('anvil exited during start');
    if (await answersRpc(rpcUrl)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no answer on ${rpcUrl} within ${timeoutMs} ms`);
}

async function answersRpc(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** SIGTERM lets anvil dump its state; SIGKILL only if it hangs. */
async function stopAnvil(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last few kilobytes of anvil's stderr for a start-up error message. */
function collectTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  return () => tail.trim();
}
