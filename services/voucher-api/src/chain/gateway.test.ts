import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeployment, voucherHubAbi, writeDeployment } from '@voucher/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { createMunicipality } from '../municipalities/create-municipality.ts';
import { ChainStateMismatchError } from './bootstrap.ts';
import { ANVIL_DEV_OPERATOR_KEY, type ChainGatewayConfig } from './config.ts';
import { createChainGateway } from './gateway.ts';
import { startLocalAnvil } from './local-anvil.ts';
import {
  drainUntilSettled,
  enqueue,
  randomAccountId,
  registerAccountIntent,
  TEST_MUNICIPALITY_ID,
  testLogger,
} from './test-fixture.ts';

let database: TestDatabase;
let config: ChainGatewayConfig;

beforeAll(async () => {
  database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'voucher-chain-embedded-'));
  config = {
    dataDir,
    rpcUrl: undefined,
    deploymentFile: join(dataDir, 'deployment.json'),
    masterKey: randomBytes(32),
  };
});

afterAll(async () => {
  await database?.drop();
});

describe('embedded local chain', () => {
  const account = randomAccountId();

  it('starts anvil, deploys once and writes the deployment file', async () => {
    const gateway = await createChainGateway(config, database.db, testLogger);
    try {
      expect(existsSync(config.deploymentFile)).toBe(true);
      expect(readDeployment(config.deploymentFile).voucherHub).toBe(gateway.addresses.hub);
      expect(await gateway.chainHealth()).toMatchObject({ ok: true });
      // The account belongs to a municipality, which the chain must know first.
      await database.db.transaction((tx) =>
        createMunicipality(tx, { id: TEST_MUNICIPALITY_ID, name: 'Testkommune' }),
      );
      await enqueue(database.db, registerAccountIntent(account));
      await drainUntilSettled(gateway, database.db);
    } finally {
      await gateway.close();
    }
    expect(existsSync(join(config.dataDir, 'anvil-state.json'))).toBe(true);
  });

  it('resumes the same chain on the next start', async () => {
    const before = readDeployment(config.deploymentFile);
    const gateway = await createChainGateway(config, database.db, testLogger);
    try {
      expect(gateway.addresses.hub).toBe(before.voucherHub);
      const status = await gateway.publicClient.readContract({
        address: gateway.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'accountStatus',
        args: [account],
      });
      expect(status).not.toBe(0); // 0 = unknown; the registration survived the restart
    } finally {
      await gateway.close();
    }
  });

  it('gives a brand-new database fresh contracts instead of ones an old database used', async () => {
    const before = readDeployment(config.deploymentFile);
    const newDatabase = await createTestDatabase();
    try {
      const gateway = await createChainGateway(config, newDatabase.db, testLogger);
      await gateway.close();
      expect(gateway.addresses.hub).not.toBe(before.voucherHub);
      const again = await createChainGateway(config, newDatabase.db, testLogger);
      await again.close();
      expect(again.addresses.hub).toBe(gateway.addresses.hub); // nothing written yet: reused
    } finally {
      await newDatabase.drop();
      writeDeployment(config.deploymentFile, before);
    }
  });

  it('refuses to start on a fresh chain when the database already has chain history', async () => {
    rmSync(join(config.dataDir, 'anvil-state.json'));
    const started = createChainGateway(config, database.db, testLogger);
    await expect(started).rejects.toBeInstanceOf(ChainStateMismatchError);
    await expect(started).rejects.toThrow(/anvil-state\.json/);
  });
});

describe('existing chain (RPC_URL + DEPLOYMENT_FILE)', () => {
  it('refuses a deployment file whose addresses hold no code', async () => {
    const anvil = await startLocalAnvil();
    const dataDir = mkdtempSync(join(tmpdir(), 'voucher-chain-remote-'));
    const deploymentFile = join(dataDir, 'deployment.json');
    writeDeployment(deploymentFile, {
      chainId: anvil.chainId,
      ekrone: '0x00000000000000000000000000000000000000e1',
      voucherHub: '0x00000000000000000000000000000000000000b1',
      deployedAtBlock: '1',
      deployer: '0x00000000000000000000000000000000000000d1',
      transactions: [],
    });
    try {
      const remote = {
        ...config,
        rpcUrl: anvil.rpcUrl,
        deploymentFile,
        operatorPrivateKey: ANVIL_DEV_OPERATOR_KEY,
      };
      await expect(createChainGateway(remote, database.db, testLogger)).rejects.toThrow(/No contract code/);
      const keyless = { ...remote, operatorPrivateKey: undefined };
      await expect(createChainGateway(keyless, database.db, testLogger)).rejects.toThrow(
        /OPERATOR_PRIVATE_KEY/,
      );
    } finally {
      await anvil.stop();
    }
  });
});
