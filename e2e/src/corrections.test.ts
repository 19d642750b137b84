import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_MUNICIPALITY, demoPassword } from '../../services/voucher-api/src/seed/demo.ts';
import * as consoleSteps from './console/steps.ts';
import { textOf } from './console/steps.ts';
import { text as consoleText } from './console/texts.ts';
import { assertBankFileIsValid, readBankFile } from './support/bank-file.ts';
import { launchDevice } from './support/browser.ts';
import * as citizen from './support/citizen.ts';
import { blankFrame, writeY4m } from './support/fake-camera.ts';
import { signInWithPasskey } from './support/passkeys.ts';
import { randomCpr } from './support/people.ts';
import { Recorder } from './support/record.ts';
import * as scanner from './support/scanner.ts';
import { type Stack, startStack } from './support/stack.ts';
import { citizenText, scannerText } from './support/texts.ts';

/**
 * A cashier's mistake put right, in Chromium against a real API, chain and database: the
 * children's clothes shop's cashier types 150 instead of 15 for a citizen's Børnepakke,
 * voids it from the list of today ("Annullér") and redeems the right amount. The citizen's
 * phone shows both purchases, the voided one marked and the credit back; finance settles the
 * period and the statement and the bank file pay the shop the net, 15 kr. Then the citizen
 * disputes the paid 15 kr. ("Det har jeg ikke købt"); the shop refunds it from its list of
 * disputes, the credit comes back, the caseworker's queue shows it refunded, and the shop
 * owes the municipality the 15 kr. it was already paid.
 */
const PROGRAM = 'Børnepakke';
const SHOP = { username: 'demo.clothing', password: demoPassword('demo.clothing'), name: 'Demo Børnetøj' };
const SHOP_IBAN = 'DK3852950001234567';

let stack: Stack;
let record: Recorder;
let office: BrowserContext;
let phone: BrowserContext;
let counter: BrowserContext;
let officePage: Page;
let phonePage: Page;
let scratch: Page;
let scannerPage: Page;
let cameraFile: string;
const requestedUrls: string[] = [];
const person = { cpr: randomCpr(), name: 'Rettelse Testesen' };

/** What each step hands the next; a step that needs an earlier one fails at once, saying which. */
const state: {
  activated?: boolean;
  paired?: boolean;
  voided?: boolean;
  corrected?: boolean;
  periodId?: number;
  refunded?: boolean;
} = {};

before(async () => {
  record = new Recorder('corrections');
  stack = await startStack();
  cameraFile = join(await mkdtemp(join(tmpdir(), 'e2e-camera-')), 'camera.y4m');
  await writeY4m(cameraFile, blankFrame());
  office = await launchDevice();
  phone = await launchDevice({ mobile: true });
  counter = await launchDevice({ mobile: true, cameraFile });
  officePage = office.pages()[0] ?? (await office.newPage());
  phonePage = phone.pages()[0] ?? (await phone.newPage());
  scannerPage = counter.pages()[0] ?? (await counter.newPage());
  scratch = await phone.newPage();
  for (const page of [officePage, phonePage, scannerPage])
    page.on('request', (r) => requestedUrls.push(r.url()));
});

after(async () => {
  await Promise.allSettled([office?.close(), phone?.close(), counter?.close()]);
  await stack?.stop();
  console.log(`\nscreenshots: ${record?.dir}`);
});

function needs(...steps: ('activated' | 'paired' | 'voided' | 'corrected')[]): void {
  for (const step of steps) assert.ok(state[step], `needs the earlier step: ${step}`);
}

/** The shop's camera reads the citizen's phone; the cashier picks Børnepakke and an amount. */
async function redeemAtTheCounter(kroner: string, shown: string): Promise<void> {
  const qr = await citizen.photographRotatingQr(phonePage, scratch);
  const answer = await scanner.scan(scannerPage, cameraFile, qr);
  assert.equal(answer.kind, 'vouchers', JSON.stringify(answer));
  await scanner.chooseVoucherAndAmount(scannerPage, PROGRAM, kroner);
  const result = await scanner.confirm(scannerPage);
  assert.equal(result.kind, 'success', result.text);
  assert.ok(
    result.text.includes(scannerText('result.success', { amount: shown, program: PROGRAM })),
    result.text,
  );
}

test('a caseworker grants a Børnepakke and the citizen activates the phone', async () => {
  await consoleSteps.loginAs(officePage, stack.baseUrl, consoleSteps.DEMO_STAFF.caseworker);
  await consoleSteps.enrolCitizen(officePage, {
    ...person,
    street: 'Rettevej 3',
    postalCode: '2100',
    city: 'København Ø',
    childrenBirthYears: [2018],
  });
  await consoleSteps.grantProgram(officePage, PROGRAM);
  const code = await consoleSteps.printLetter(officePage);
  await citizen.activate(phonePage, stack.baseUrl, code);
  await phonePage.locator('#rotating-qr').waitFor();
  state.activated = true;
});

test('the cashier types 150 instead of 15, and the redemption goes through', async () => {
  needs('activated');
  await scanner.login(scannerPage, stack.baseUrl, SHOP.username, SHOP.password);
  await scanner.pair(scannerPage, 'Kasse 1');
  state.paired = true;
  await redeemAtTheCounter('150', '150,00 kr.');
  await record.step(scannerPage, 'scanner-mistyped');
  await scanner.backToScanning(scannerPage);
});

test("the cashier voids it from today's list, and the credit is back with the citizen", async () => {
  needs('paired');
  await scanner.openTab(scannerPage, 'today');
  const line = scannerPage.locator('li[data-status="confirmed"]').filter({ hasText: '150,00 kr.' });
  await line.getByRole('button', { name: new RegExp(`^${scannerText('today.void')} `) }).click();
  await scannerPage
    .getByRole('heading', { name: scannerText('correct.voidHeading', { amount: '150,00 kr.' }) })
    .waitFor();
  await record.step(scannerPage, 'scanner-void-confirm');
  await scannerPage.getByRole('button', { name: scannerText('correct.voidConfirm') }).click();
  const outcome = scannerPage.locator('section[data-result]');
  await outcome.waitFor({ timeout: 60_000 });
  assert.equal(await outcome.getAttribute('data-result'), 'confirmed', await outcome.innerText());
  assert.ok(
    (await outcome.innerText()).includes(scannerText('correct.voided', { amount: '150,00 kr.' })),
    await outcome.innerText(),
  );
  await record.step(scannerPage, 'scanner-voided');
  await scannerPage.getByRole('button', { name: scannerText('correct.done') }).click();

  // The line stays on the list, struck through and marked; the day's total is the net.
  const voided = scannerPage.locator('li[data-reversed="15000"]');
  await voided.waitFor();
  assert.ok((await voided.innerText()).includes(scannerText('today.voided')), await voided.innerText());
  assert.equal(await voided.getByRole('button').count(), 0, 'nothing left to void or refund');
  await scannerPage.getByText(scannerText('today.total', { amount: '0,00 kr.' })).waitFor();
  state.voided = true;
});

test('the cashier redeems the right amount, 15 kr.', async () => {
  needs('voided');
  await scanner.openTab(scannerPage, 'scan');
  await redeemAtTheCounter('15', '15,00 kr.');
  await scanner.backToScanning(scannerPage);
  await scanner.openTab(scannerPage, 'today');
  await scannerPage.getByText(scannerText('today.total', { amount: '15,00 kr.' })).waitFor();
  await record.step(scannerPage, 'scanner-today-net');
  state.corrected = true;
});

test("the citizen's phone shows both purchases, the voided one marked, and 1.485 kr. left", async () => {
  needs('corrected');
  await citizen.openTab(phonePage, 'history');
  for (const amount of ['150,00 kr.', '15,00 kr.']) {
    await phonePage.getByText(citizenText('history.item', { amount, provider: SHOP.name })).waitFor();
  }
  const voided = citizenText('history.voided', { amount: '-150,00 kr.' });
  const voidedLine = phonePage.getByText(voided, { exact: false });
  await voidedLine.first().waitFor();
  assert.ok(
    (await voidedLine.first().innerText()).includes(citizenText('history.creditBack')),
    await voidedLine.first().innerText(),
  );
  await record.step(phonePage, 'citizen-history-voided');
  await citizen.openTab(phonePage, 'vouchers');
  await phonePage.getByText('1.485,00 kr.').first().waitFor();
  await record.step(phonePage, 'citizen-vouchers-after-void');
});

test('finance settles the period: the statement and the bank file pay the shop the net, 15 kr.', async () => {
  needs('corrected');
  await signInWithPasskey(officePage, stack.baseUrl, consoleSteps.DEMO_STAFF.finance1);
  const periodId = await consoleSteps.closePeriod(officePage);
  state.periodId = periodId;
  await consoleSteps.proposeSettlement(officePage, periodId);
  await signInWithPasskey(officePage, stack.baseUrl, consoleSteps.DEMO_STAFF.finance2);
  await consoleSteps.approveSettlement(officePage, periodId);
  await consoleSteps.executeSettlement(officePage, periodId);
  await record.step(officePage, 'console-paid-net');

  const bank = await consoleSteps.downloadBankFile(officePage, periodId);
  const file = readBankFile(bank.xml);
  assert.equal(file.debtorIban, DEMO_MUNICIPALITY.debtorIban);
  assert.deepEqual(file.transfers, [{ iban: SHOP_IBAN, amount: '15.00' }], 'one payment, of the net');
  await assertBankFileIsValid(bank.xml);

  const { csv } = await consoleSteps.downloadStatementCsv(officePage, periodId);
  const shopRow = csv.split(/\r?\n/).find((row) => row.includes(SHOP.name));
  assert.ok(shopRow, csv);
  assert.ok(shopRow.includes('15.00') || shopRow.includes('15,00'), shopRow);
});

test('the shop sees the period paid with the net on its scanner', async () => {
  assert.ok(state.periodId, 'needs the settled period');
  await scanner.openTab(scannerPage, 'statements');
  const period = scannerPage.locator(`li[data-period-id="${state.periodId}"]`);
  await period.filter({ hasText: scannerText('statements.status_paid') }).waitFor({ timeout: 60_000 });
  assert.ok((await textOf(period)).includes('15,00 kr.'), await textOf(period));
  await record.step(scannerPage, 'scanner-statement-net');
});

test('the citizen disputes the paid 15 kr.; the shop refunds it from its list of disputes', async () => {
  assert.ok(state.periodId, 'needs the settled period');
  await citizen.openTab(phonePage, 'history');
  const line = phonePage.locator('li').filter({
    hasText: citizenText('history.item', { amount: '15,00 kr.', provider: SHOP.name }),
  });
  await line.getByRole('button', { name: new RegExp(`^${citizenText('history.dispute')}`) }).click();
  await phonePage.getByRole('button', { name: citizenText('dispute.submit') }).click();
  await phonePage.getByText(citizenText('dispute.sent')).waitFor();
  await record.step(phonePage, 'citizen-disputed');

  await scanner.openTab(scannerPage, 'today');
  const disputes = scannerPage.locator('section.disputes');
  await disputes.waitFor();
  await record.step(scannerPage, 'scanner-dispute');
  await disputes.getByRole('button', { name: new RegExp(`^${scannerText('disputes.refund')}`) }).click();
  await scannerPage.getByRole('button', { name: scannerText('correct.next') }).click();
  await scannerPage.getByRole('button', { name: scannerText('correct.refundConfirm') }).click();
  const outcome = scannerPage.locator('section[data-result]');
  await outcome.waitFor({ timeout: 60_000 });
  assert.equal(await outcome.getAttribute('data-result'), 'confirmed', await outcome.innerText());
  await record.step(scannerPage, 'scanner-dispute-refunded');
  await scannerPage.getByRole('button', { name: scannerText('correct.done') }).click();

  await citizen.openTab(phonePage, 'vouchers');
  await phonePage.getByText('1.500,00 kr.').first().waitFor();
  state.refunded = true;
});

test("the caseworker's queue shows the dispute refunded, and finance sees what the shop owes", async () => {
  assert.ok(state.refunded, 'needs the refund');
  await consoleSteps.loginAs(officePage, stack.baseUrl, consoleSteps.DEMO_STAFF.caseworker);
  await consoleSteps.openMenu(officePage, 'nav.disputes');
  await officePage.getByLabel(consoleText('disputes.show')).selectOption('all');
  const row = officePage.locator('tr[data-dispute-id]').filter({ hasText: SHOP.name });
  await row.first().waitFor();
  assert.equal(await row.first().getAttribute('data-status'), 'refunded');
  await record.step(officePage, 'console-disputes');

  // The shop was paid 15 kr. in period 1 and gave them back in period 2 with nothing to set
  // them off against yet: it owes them, to be kept from its next payout.
  await consoleSteps.loginAs(officePage, stack.baseUrl, consoleSteps.DEMO_STAFF.finance1);
  const detail = await consoleSteps.openPeriod(officePage, state.periodId ?? 0);
  const owed = detail.getByTestId('receivables');
  await owed.waitFor();
  assert.ok((await textOf(owed)).includes(SHOP.name), await textOf(owed));
  assert.ok((await textOf(owed)).includes('15,00 kr.'), await textOf(owed));
  await record.step(officePage, 'console-receivables');
});

test('no CPR number or name appeared in a URL', () => {
  assert.ok(requestedUrls.length > 10);
  for (const url of requestedUrls) {
    const decoded = decodeURIComponent(url);
    assert.ok(
      !decoded.includes(person.cpr) && !decoded.includes(person.cpr.replace('-', '')),
      `CPR in ${url}`,
    );
    assert.ok(!decoded.includes('Testesen'), `name in ${url}`);
  }
});
