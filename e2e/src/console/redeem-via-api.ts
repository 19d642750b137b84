import { generateKeyPairSync } from 'node:crypto';
import { REDEMPTION_TYPES, redemptionDomain } from '@voucher/contracts';
import { type Hex, hexToBytes } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { signPresentation } from '../../../services/voucher-api/src/passes/presentation.ts';
import { pairingMessage } from '../../../services/voucher-api/src/terminals/pair-terminal.ts';

/**
 * Test data for the finance steps, made the way the real devices make it but over HTTP: the
 * citizen activates with the letter's code and registers a phone key, a provider pairs a
 * terminal, scans the phone's rotating QR and redeems with the terminal's EIP-712 signature.
 * (The citizen PWA and the scanner do exactly this in the browser; the e2e journey drives
 * those. Here the console, or one screen of the scanner, is under test.)
 */
export async function redeemViaApi(
  baseUrl: string,
  params: {
    activationCode: string;
    provider: { username: string; password: string };
    programName: string;
    amountOre: bigint;
  },
): Promise<{ providerId: number; txHash: string | null; periodId: string | null }> {
  const { activationCode, ...redemption } = params;
  return redeemWithPhone(baseUrl, { phone: await activatePhone(baseUrl, activationCode), ...redemption });
}

/** A citizen's activated phone: its account and the rotating QR text it shows now. */
export interface Phone {
  accountId: Hex;
  rotatingPass(): string;
}

/**
 * One visit at a provider's counter: its staff sign in, pair a new terminal, scan the phone's
 * rotating QR and redeem with the terminal's signature. A phone can visit several providers.
 */
export async function redeemWithPhone(
  baseUrl: string,
  params: {
    phone: Phone;
    provider: { username: string; password: string };
    programName: string;
    amountOre: bigint;
  },
): Promise<{ providerId: number; txHash: string | null; periodId: string | null }> {
  const citizen = params.phone;
  const staff = await post<{ accessToken: string; providerId: number }>(baseUrl, '/auth/login', {
    username: params.provider.username,
    password: params.provider.password,
  });
  const providerId = staff.providerId;
  const terminal = await pairTerminal(baseUrl, staff.accessToken, providerId);
  const scan = await post<{ scanId: string; vouchers: { programId: string; programName: string }[] }>(
    baseUrl,
    '/scans',
    { pass: citizen.rotatingPass() },
    staff.accessToken,
  );
  const voucher = scan.vouchers.find((candidate) => candidate.programName === params.programName);
  if (!voucher) throw new Error(`the citizen has no voucher ${params.programName}`);
  const chain = await get<{ chainId: number; hub: Hex }>(baseUrl, '/public/chain');
  const message = {
    id: 1n,
    account: citizen.accountId,
    program: BigInt(voucher.programId),
    provider: providerId,
    amountOre: params.amountOre,
    deadline: Math.floor(Date.now() / 1000) + 600,
  };
  const signature = await terminal.signTypedData({
    domain: redemptionDomain(chain.chainId, chain.hub),
    types: REDEMPTION_TYPES,
    primaryType: 'Redemption',
    message,
  });
  const redemption = await post<{
    status: string;
    txHash: string | null;
    periodId: string | null;
    statusUrl: string;
  }>(
    baseUrl,
    '/redemptions',
    {
      scanId: scan.scanId,
      terminal: terminal.address,
      redemptionId: '1',
      programId: voucher.programId,
      amountOre: params.amountOre.toString(),
      deadline: message.deadline,
      signature,
    },
    staff.accessToken,
  );
  if (redemption.status !== 'confirmed') throw new Error(`redemption ${redemption.status}`);
  return { providerId, txHash: redemption.txHash, periodId: redemption.periodId };
}

/** The citizen activates the phone with the letter's code and registers its key. */
export async function activatePhone(baseUrl: string, activationCode: string): Promise<Phone> {
  const session = await post<{ accessToken: string; accountId: Hex }>(baseUrl, '/activation', {
    code: activationCode,
  });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { deviceId } = await post<{ deviceId: string }>(
    baseUrl,
    '/activation/device',
    { publicKey: publicKey.export({ format: 'jwk' }) },
    session.accessToken,
  );
  const accountBytes = Buffer.from(hexToBytes(session.accountId));
  return {
    accountId: session.accountId,
    rotatingPass: () =>
      signPresentation(privateKey, { accountId: accountBytes, deviceId, issuedAt: new Date() }),
  };
}

async function pairTerminal(baseUrl: string, staffToken: string, providerId: number) {
  const account = privateKeyToAccount(generatePrivateKey());
  const { code } = await post<{ code: string }>(
    baseUrl,
    `/providers/${providerId}/pairing-codes`,
    undefined,
    staffToken,
  );
  await post(
    baseUrl,
    '/terminals',
    {
      pairingCode: code,
      address: account.address,
      label: 'Konsol-test',
      signature: await account.signMessage({ message: pairingMessage(code) }),
    },
    staffToken,
  );
  return account;
}

async function post<T = unknown>(baseUrl: string, path: string, body?: unknown, token?: string): Promise<T> {
  return call<T>(baseUrl, path, 'POST', body, token);
}

async function get<T>(baseUrl: string, path: string, token?: string): Promise<T> {
  return call<T>(baseUrl, path, 'GET', undefined, token);
}

async function call<T>(
  baseUrl: string,
  path: string,
  method: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(payload)}`);
  return payload;
}
