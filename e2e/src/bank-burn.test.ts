import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROLE } from '@voucher/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import type { Address } from 'viem';
import { formatOre } from '../../apps/municipal-console/src/money/kroner.ts';
import {
  DEMO_MUNICIPALITY,
  demoPassword,
  NEIGHBOUR_MUNICIPALITY,
} from '../../services/voucher-api/src/seed/demo.ts';
import { buildCamt054, transfersOfPain001 } from '../../services/voucher-api/test/support/camt054.ts';
import { activatePhone, redeemWithPhone } from './console/redeem-via-api.ts';
import * as consoleSteps from './console/steps.ts';
import { DEMO_STAFF, failureOn, textOf } from './console/steps.ts';
import { text as consoleText } from './console/texts.ts';
import { assertBankFileIsValid, readBankFile } from './support/bank-file.ts';
import { launchDevice } from './support/browser.ts';
import { type ChainReader, type ChainStack, chainReader, startStackWithChain } from './support/chain.ts';
import {
  authenticatorOf,
  enrolPasskey,
  signInWithPasskey,
  type VirtualAuthenticator,
} from './support/passkeys.ts';
import { randomCpr } from './support/people.ts';
import { Recorder } from './support/record.ts';

/**
 * Keys in people's hands, and eKrone is kroner in the bank, in Chromium against a real API,
 * chain and database. Finance officer demo.finance1 signs in to the console on a computer
 * with a built-in authenticator (a virtual one, through the DevTools protocol); the console
 * sends an officer without a passkey to "Mine adgangsnøgler", where she names the device and
 * enrols it, and the key's account gets her role on chain. A citizen spends at two providers,
 * finance closes the period, one officer proposes, another approves and pays, and the bank
 * file goes to the bank. The bank answers with a camt.054; finance reads it in under
 * "Bankens kvittering" and the payouts read confirmed by the bank. She presses "Afslut på
 * kæden med din adgangsnøgle", reads in plain words what the bank confirmed, and her passkey
 * signs: the hub burns exactly the paid total, nothing stays in transit, and the eKrone supply
 * again equals minted less burned over the municipalities.
 */
const PROGRAM = 'Børnepakke';
const SPORT = { username: 'demo.sport', password: demoPassword('demo.sport') };
const CLOTHING = { username: 'demo.clothing', password: demoPassword('demo.clothing') };
const AT_SPORT = 15_000n;
const AT_CLOTHING = 25_050n;
const TOTAL_ORE = AT_SPORT + AT_CLOTHING;
const DEVICE_NAME = 'Økonomikontorets bærbare';
const COLLEAGUE_DEVICE = 'Kollegaens bærbare';

let stack: ChainStack;
let chain: ChainReader;
let record: Recorder;
let office: BrowserContext;
let colleague: BrowserContext;
/** demo.finance1's screen, with the authenticator built in. */
let officePage: Page;
/** The caseworker's and later demo.finance2's screen. */
let colleaguePage: Page;
/** The authenticator built into demo.finance1's computer. */
let authenticator: VirtualAuthenticator;
const started = Date.now();

/** What each step hands the next; a step that needs an earlier one fails at once, saying which. */
const state: {
  passkeyAddress?: Address;
  providerIds?: number[];
  periodId?: number;
  bankFileXml?: string;
  bankConfirmed?: boolean;
  burnedBefore?: bigint;
  burned?: boolean;
} = {};

before(async () => {
  record = new Recorder('bank-burn');
  stack = await startStackWithChain();
  chain = await chainReader(stack.baseUrl, stack.rpcUrl);
  office = await launchDevice();
  colleague = await launchDevice();
  officePage = office.pages()[0] ?? (await office.newPage());
  colleaguePage = colleague.pages()[0] ?? (await colleague.newPage());
  // The officer's computer has a platform authenticator (like Windows Hello or Touch ID) that
  // keeps discoverable keys and verifies the person at once.
  authenticator = await authenticatorOf(officePage);
});

after(async () => {
  await Promise.allSettled([office?.close(), colleague?.close()]);
  await stack?.stop();
  console.log(`\nscreenshots: ${record?.dir}`);
  console.log(`bank-burn journey: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const kroner = (ore: bigint) => formatOre(ore, 'da');

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('the finance officer is sent to Mine adgangsnøgler at sign-in and enrols her passkey', async () => {
  await consoleSteps.loginAs(officePage, stack.baseUrl, DEMO_STAFF.finance1);
  await officePage.getByRole('heading', { level: 1, name: consoleText('passkeys.title') }).waitFor();
  assert.match(officePage.url(), /#\/passkeys$/);
  await officePage.getByTestId('passkey-needed').waitFor();
  // The browser offers a passkey, so the demo's development key is not offered.
  assert.equal(await officePage.getByTestId('development-key').count(), 0);
  await record.step(officePage, 'console-passkey-needed');

  const address = (await enrolPasskey(officePage, DEVICE_NAME)) as Address;
  const row = officePage.getByTestId('passkeys').locator('tr').filter({ hasText: DEVICE_NAME });
  assert.ok((await textOf(row)).includes(consoleText('passkeys.kinds.passkey')), await textOf(row));
  assert.match(address, /^0x[0-9a-fA-F]{40}$/);
  assert.equal(await officePage.getByTestId('passkey-needed').count(), 0, 'still says a key is needed');
  await record.step(officePage, 'console-passkey-enrolled');

  // The key stays on the device, made for this origin's host as relying party.
  const keys = await authenticator.credentials();
  assert.equal(keys.length, 1, 'one key on the authenticator');
  assert.equal(keys[0]?.rpId, 'localhost');
  assert.equal(keys[0]?.isResidentCredential, true);
  // Its account holds her role on chain, so the hub takes her signature as a finance officer's.
  await waitUntil('the passkey account is a finance officer on chain', () =>
    chain.hasMunicipalRole(DEMO_MUNICIPALITY.id, ROLE.financeOfficer, address),
  );
  state.passkeyAddress = address;
});

test('a citizen spends at two providers, and the period is paid by two officers', async () => {
  assert.ok(state.passkeyAddress, 'needs the enrolled passkey');
  // Setup through the caseworker's console and the API (the scanner's journey is elsewhere).
  await consoleSteps.loginAs(colleaguePage, stack.baseUrl, DEMO_STAFF.caseworker);
  await consoleSteps.enrolCitizen(colleaguePage, {
    cpr: randomCpr(),
    name: 'Bank Testesen',
    street: 'Bankvej 1',
    postalCode: '2300',
    city: 'København S',
    childrenBirthYears: [2019],
  });
  await consoleSteps.grantProgram(colleaguePage, PROGRAM);
  const phone = await activatePhone(stack.baseUrl, await consoleSteps.printLetter(colleaguePage));
  const providerIds: number[] = [];
  for (const [provider, amountOre] of [
    [SPORT, AT_SPORT],
    [CLOTHING, AT_CLOTHING],
  ] as const) {
    const redeemed = await redeemWithPhone(stack.baseUrl, {
      phone,
      provider,
      programName: PROGRAM,
      amountOre,
    });
    providerIds.push(redeemed.providerId);
  }
  state.providerIds = providerIds;

  // demo.finance1 closes and proposes with her passkey; demo.finance2, on her own computer
  // with her own passkey, approves and pays.
  const periodId = await consoleSteps.closePeriod(officePage);
  state.periodId = periodId;
  await consoleSteps.proposeSettlement(officePage, periodId);
  await signInWithPasskey(colleaguePage, stack.baseUrl, DEMO_STAFF.finance2, COLLEAGUE_DEVICE);
  await consoleSteps.approveSettlement(colleaguePage, periodId);
  await consoleSteps.executeSettlement(colleaguePage, periodId);
  const { username: finance1 } = DEMO_STAFF.finance1;
  await consoleSteps.expectSignedBy(colleaguePage, periodId, 'close', finance1, DEVICE_NAME);
  await consoleSteps.expectSignedBy(colleaguePage, periodId, 'propose', finance1, DEVICE_NAME);
  await consoleSteps.expectSignedBy(
    colleaguePage,
    periodId,
    'approve',
    DEMO_STAFF.finance2.username,
    COLLEAGUE_DEVICE,
  );

  // Paid on chain: the eKrone wait in transit until the bank confirms the transfers.
  for (const providerId of providerIds) {
    assert.ok((await chain.inTransitOf(DEMO_MUNICIPALITY.id, periodId, providerId)) > 0n);
  }
  // demo.finance1 comes back to her screen (it still shows the proposal) and fetches the file.
  await officePage.reload();
  const bank = await consoleSteps.downloadBankFile(officePage, periodId);
  const file = readBankFile(bank.xml);
  assert.equal(file.debtorIban, DEMO_MUNICIPALITY.debtorIban);
  assert.deepEqual(file.transfers.map((transfer) => transfer.amount).sort(), ['150.00', '250.50']);
  await assertBankFileIsValid(bank.xml);
  state.bankFileXml = bank.xml;
  const detail = await consoleSteps.openPeriod(officePage, periodId);
  await detail.locator('[data-bank-status="awaiting_bank"]').waitFor();
  await record.step(officePage, 'console-paid-awaiting-bank');
});

test("finance reads in the bank's camt.054, and the payouts are confirmed by the bank", async () => {
  const { periodId, bankFileXml } = state;
  assert.ok(periodId && bankFileXml, 'needs the paid period and its bank file');
  // The bank executes the pain.001 and answers with one booked debit per transfer.
  const camt054 = buildCamt054({
    messageId: `E2E-054-${Date.now()}`,
    createdAt: new Date(),
    account: {
      iban: DEMO_MUNICIPALITY.debtorIban,
      bic: DEMO_MUNICIPALITY.debtorBic,
      ownerName: DEMO_MUNICIPALITY.name,
    },
    entries: transfersOfPain001(bankFileXml),
  });

  await consoleSteps.openPeriod(officePage, periodId);
  const panel = officePage.getByTestId('bank-notification');
  await panel.getByLabel(consoleText('bankNotification.file')).setInputFiles({
    name: 'camt054.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from(camt054, 'utf8'),
  });
  await panel.getByRole('button', { name: consoleText('bankNotification.upload') }).click();
  await Promise.race([
    panel
      .getByRole('status')
      .filter({ hasText: consoleText('bankNotification.imported', { confirmed: 2 }) })
      .waitFor({ timeout: 30_000 }),
    failureOn(panel, 'import camt.054'),
  ]);
  const entries = panel.getByTestId('bank-notification-entries').locator('tbody tr');
  assert.equal(await entries.count(), 2);
  assert.equal(await entries.and(officePage.locator('[data-outcome="confirmed"]')).count(), 2);

  const detail = officePage.locator(`[data-testid="period-detail"][data-period-id="${periodId}"]`);
  await detail.locator('[data-bank-status="paid_in_bank"]').waitFor({ timeout: 30_000 });
  const payouts = detail.getByTestId('payouts').locator('tbody tr');
  assert.equal(await payouts.count(), 2);
  assert.equal(await payouts.and(officePage.locator('[data-bank-state="confirmed"]')).count(), 2);
  await record.step(officePage, 'console-bank-confirmed');
  state.bankConfirmed = true;
});

test('she completes the payouts on chain with her passkey, after reading the total in plain words', async () => {
  const { periodId } = state;
  assert.ok(periodId && state.bankConfirmed, 'needs the bank-confirmed payouts');
  state.burnedBefore = (await chain.ledgerOf(DEMO_MUNICIPALITY.id)).burnedOre;
  const signCountBefore = await authenticator.signCount();

  const detail = officePage.locator(`[data-testid="period-detail"][data-period-id="${periodId}"]`);
  const burn = detail.getByTestId('bank-burn');
  await burn.getByRole('button', { name: consoleText('settlement.burn.start') }).click();
  const dialog = officePage.getByRole('dialog', {
    name: consoleText('settlement.burn.confirmTitle', { period: periodId }),
  });
  await Promise.race([dialog.waitFor({ timeout: 30_000 }), failureOn(burn, 'fetch what to sign')]);
  const facts = consoleText('settlement.burn.confirmFacts_other', {
    count: 2,
    period: periodId,
    total: kroner(TOTAL_ORE),
  });
  const plainWords = await textOf(dialog.getByTestId('signed-step-text'));
  assert.ok(plainWords.includes(facts), plainWords);
  assert.ok(plainWords.includes(consoleText('settlement.burn.confirmEffect')), plainWords);
  await record.step(officePage, 'console-burn-confirm');

  await dialog.getByRole('button', { name: consoleText('signing.sign') }).click();
  const burned = consoleText('settlement.burn.burned', { total: kroner(TOTAL_ORE) });
  await Promise.race([
    burn.getByRole('status').filter({ hasText: burned }).waitFor({ timeout: 90_000 }),
    failureOn(burn, 'complete on chain'),
  ]);
  const payouts = detail.getByTestId('payouts').locator('tbody tr');
  assert.equal(await payouts.and(officePage.locator('[data-on-chain="completed"]')).count(), 2);
  assert.equal(
    await burn.getByRole('button', { name: consoleText('settlement.burn.start') }).count(),
    0,
    'still offers to complete on chain',
  );
  await consoleSteps.expectSignedBy(
    officePage,
    periodId,
    'bank-confirmation',
    DEMO_STAFF.finance1.username,
    DEVICE_NAME,
  );
  await record.step(officePage, 'console-burned');

  // The authenticator on her computer made the signature.
  const signCountAfter = await authenticator.signCount();
  assert.ok(signCountAfter > signCountBefore, `signCount ${signCountBefore} → ${signCountAfter}`);
  state.burned = true;
});

test('on chain: the total is burned, nothing stays in transit, and the supply matches', async () => {
  const { periodId, providerIds, burnedBefore } = state;
  assert.ok(state.burned && periodId && providerIds && burnedBefore !== undefined, 'needs the burn');
  const ledger = await chain.ledgerOf(DEMO_MUNICIPALITY.id);
  assert.equal(ledger.burnedOre - burnedBefore, TOTAL_ORE, 'burnedOre grew by the settlement total');
  assert.equal(ledger.inTransitOre, 0n);
  for (const providerId of providerIds) {
    assert.equal(
      await chain.inTransitOf(DEMO_MUNICIPALITY.id, periodId, providerId),
      0n,
      `provider ${providerId}`,
    );
  }
  let outstanding = 0n;
  for (const municipality of [DEMO_MUNICIPALITY, NEIGHBOUR_MUNICIPALITY]) {
    const { mintedOre, burnedOre } = await chain.ledgerOf(municipality.id);
    outstanding += mintedOre - burnedOre;
  }
  const supply = await chain.totalSupply();
  assert.ok(supply > 0n);
  assert.equal(supply, outstanding, 'eKrone supply = minted − burned over the municipalities');
  record.figure(`burned ${kroner(TOTAL_ORE)}; supply ${kroner(supply)} = minted − burned`);
});
