import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from 'playwright-core';
import { formatOre, parseKronerInput } from '../../../apps/municipal-console/src/money/kroner.ts';
import { demoPassword } from '../../../services/voucher-api/src/seed/demo.ts';
import { text } from './texts.ts';

/**
 * Reusable steps for the municipal console, written the way staff use it: by visible labels
 * and buttons, in Danish (the console's default language). Each step waits for the outcome
 * a person would see and throws, with what was on screen, when it does not come.
 */
export interface StaffLogin {
  username: string;
  password: string;
}

/** The demo municipality's staff (services/voucher-api/src/seed/demo.ts). */
export const DEMO_STAFF = {
  admin: { username: 'demo.admin', password: 'Demo-admin-2027!' },
  caseworker: { username: 'demo.caseworker', password: 'Demo-caseworker-2027!' },
  finance1: { username: 'demo.finance1', password: 'Demo-finance1-2027!' },
  finance2: { username: 'demo.finance2', password: 'Demo-finance2-2027!' },
  auditor: { username: 'demo.auditor', password: 'Demo-auditor-2027!' },
} as const satisfies Record<string, StaffLogin>;

/** The neighbour municipality's staff (Nabo Kommune, same seed). */
export const NEIGHBOUR_STAFF = {
  admin: { username: 'nabo.admin', password: demoPassword('nabo.admin') },
  caseworker: { username: 'nabo.caseworker', password: demoPassword('nabo.caseworker') },
  finance1: { username: 'nabo.finance1', password: demoPassword('nabo.finance1') },
  finance2: { username: 'nabo.finance2', password: demoPassword('nabo.finance2') },
  auditor: { username: 'nabo.auditor', password: demoPassword('nabo.auditor') },
} as const satisfies Record<string, StaffLogin>;

export interface CitizenData {
  cpr: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  /** YYYY-MM-DD; filled from the CPR number when left out. */
  birthDate?: string;
  childrenBirthYears?: number[];
  /** Yearly household income in kroner, typed the Danish way ("185.000,00"). */
  householdIncome?: string;
  email?: string;
  phone?: string;
}

const STEP_TIMEOUT_MS = 30_000;

/** Opens the console at `${baseUrl}/console/` and signs in; signs out whoever was signed in. */
export async function loginAs(page: Page, baseUrl: string, user: StaffLogin): Promise<void> {
  await page.goto(`${baseUrl.replace(/\/$/, '')}/console/`);
  const logout = page.getByRole('button', { name: text('app.logout') });
  if (await logout.isVisible()) await logout.click();
  await page.getByLabel(text('login.username')).fill(user.username);
  await page.getByLabel(text('login.password'), { exact: true }).fill(user.password);
  await page.getByRole('button', { name: text('login.submit') }).click();
  await Promise.race([
    logout.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), `login as ${user.username}`),
  ]);
}

/** The header names the signed-in officer's own municipality ("Konsol for Nabo Kommune"). */
export async function expectMunicipalityInHeader(page: Page, municipalityName: string): Promise<void> {
  const expected = text('app.titleFor', { municipality: municipalityName });
  const shown = page.getByRole('banner').getByTestId('municipality');
  await shown.filter({ hasText: expected }).waitFor({ timeout: STEP_TIMEOUT_MS });
  const all = await page.getByRole('banner').getByTestId('municipality').allTextContents();
  if (all.length !== 1 || all[0]?.trim() !== expected)
    throw new Error(`the header shows ${JSON.stringify(all)}, not "${expected}"`);
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: text('app.logout') }).click();
  await page.getByRole('heading', { name: text('login.title') }).waitFor();
}

/** Opens a page of the console from the main menu. */
export async function openMenu(page: Page, navKey: string): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: text(navKey) })
    .click();
}

/** Finds the citizen by CPR number; resolves with their id, or undefined when not enrolled. */
export async function findCitizen(page: Page, cpr: string): Promise<string | undefined> {
  await openMenu(page, 'nav.citizens');
  const back = page.getByRole('button', { name: `← ${text('citizens.backToSearch')}` });
  if (await back.isVisible()) await back.click();
  await page.getByLabel(text('citizens.cprLabel')).fill(cpr);
  await page.getByRole('button', { name: text('citizens.find'), exact: true }).click();
  const citizen = page.getByTestId('citizen');
  const notFound = page.getByText(text('citizens.notFound'));
  await Promise.race([
    citizen.waitFor({ timeout: STEP_TIMEOUT_MS }),
    notFound.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), 'find citizen'),
  ]);
  if (await notFound.isVisible()) return undefined;
  return (await citizen.getAttribute('data-citizen-id')) ?? undefined;
}

/** Enrols a new citizen through the form and waits for their page. */
export async function enrolCitizen(page: Page, data: CitizenData): Promise<{ citizenId: string }> {
  await openMenu(page, 'nav.citizens');
  const back = page.getByRole('button', { name: `← ${text('citizens.backToSearch')}` });
  if (await back.isVisible()) await back.click();
  await page.getByRole('button', { name: text('citizens.enrolNew') }).click();
  const form = page.locator('form');
  await form.getByLabel(text('citizens.cprLabel')).fill(data.cpr);
  await form.getByLabel(text('enrol.name')).fill(data.name);
  if (data.birthDate) await form.getByLabel(text('enrol.birthDate')).fill(data.birthDate);
  await form.getByLabel(text('enrol.street')).fill(data.street);
  await form.getByLabel(text('enrol.postalCode')).fill(data.postalCode);
  await form.getByLabel(text('enrol.city')).fill(data.city);
  if (data.childrenBirthYears?.length) {
    await form.getByLabel(text('enrol.children')).fill(data.childrenBirthYears.join(', '));
  }
  if (data.householdIncome) await form.getByLabel(text('enrol.income')).fill(data.householdIncome);
  if (data.email) await form.getByLabel(text('enrol.email')).fill(data.email);
  if (data.phone) await form.getByLabel(text('enrol.phone')).fill(data.phone);
  await form.getByRole('button', { name: text('enrol.submit'), exact: true }).click();
  const citizen = page.getByTestId('citizen');
  await Promise.race([
    citizen.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), 'enrol'),
  ]);
  const citizenId = await citizen.getAttribute('data-citizen-id');
  if (!citizenId) throw new Error('enrolled citizen page carries no id');
  return { citizenId };
}

/** On a citizen's page: grants one program from the eligibility table. */
export async function grantProgram(page: Page, programName: string): Promise<void> {
  await page.getByRole('button', { name: text('citizen.grant', { program: programName }) }).click();
  await Promise.race([
    page
      .getByRole('status')
      .filter({ hasText: text('citizen.granted', { program: programName }) })
      .waitFor({
        timeout: 60_000,
      }),
    failureOn(page.getByTestId('citizen'), `grant ${programName}`),
  ]);
}

/**
 * On a citizen's page: makes the activation letter and reads the activation code printed on
 * it, the way the citizen will read it from paper.
 */
export async function printLetter(page: Page): Promise<string> {
  await page.getByRole('button', { name: text('citizen.printLetter') }).click();
  const frame = page.frameLocator(`iframe[title="${text('citizen.letterPreview')}"]`);
  const code = frame.locator('.code');
  await Promise.race([
    code.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.getByTestId('citizen'), 'letter'),
  ]);
  await page.getByRole('button', { name: text('citizen.print') }).waitFor();
  return await textOf(code);
}

/**
 * The printed letter's pages: its HTML (the preview's srcdoc) printed to PDF by Chromium on a
 * page of its own, with the letter's own @page size (A4) and margins.
 */
export async function letterPageCount(page: Page): Promise<number> {
  const html = await page.locator(`iframe[title="${text('citizen.letterPreview')}"]`).getAttribute('srcdoc');
  if (!html) throw new Error('the letter preview has no srcdoc');
  const sheet = await page.context().newPage();
  try {
    await sheet.setContent(html);
    const pdf = await sheet.pdf({ preferCSSPageSize: true });
    return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  } finally {
    await sheet.close();
  }
}

/** On a citizen's page: blocks the current pass and issues a new one; returns its serial. */
export async function reissuePass(page: Page): Promise<{ passSerial: string }> {
  await page.getByRole('button', { name: text('citizen.reissue') }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: text('citizen.reissueConfirm') })
    .click();
  const message = page.getByRole('status').filter({ hasText: /Pas nr\. \d+ er udstedt/ });
  await Promise.race([
    message.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.getByTestId('citizen'), 'reissue'),
  ]);
  const serial = /Pas nr\. (\d+)/.exec(await textOf(message))?.[1];
  if (!serial) throw new Error('reissue message carries no serial');
  return { passSerial: serial };
}

/** On a citizen's page: downloads the art. 15 export and returns the parsed JSON. */
export async function exportCitizen(
  page: Page,
): Promise<{ filename: string; data: Record<string, unknown> }> {
  const download = await waitForDownload(page, () =>
    page.getByRole('button', { name: text('citizen.export') }).click(),
  );
  const path = await download.path();
  return {
    filename: download.suggestedFilename(),
    data: JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>,
  };
}

/** On a citizen's page: erases the person after typing their name to confirm. */
export async function eraseCitizen(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: text('citizen.erase') }).click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: text('citizen.eraseConfirm') });
  if (await confirm.isEnabled()) throw new Error('erase is possible before the name was typed');
  await dialog.getByLabel(text('citizen.eraseTypeLabel', { name })).fill(name);
  await confirm.click();
  await page
    .getByRole('status')
    .filter({ hasText: text('citizen.erased') })
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Grants a program to every eligible citizen; resolves with the result line shown. */
export async function bulkGrant(page: Page, programName: string): Promise<string> {
  await openMenu(page, 'nav.bulkGrant');
  await page.getByRole('button', { name: text('bulk.run', { program: programName }) }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: text('bulk.run', { program: programName }) })
    .click();
  const result = page.getByRole('status').filter({ hasText: programName });
  await Promise.race([
    result.waitFor({ timeout: 120_000 }),
    failureOn(page.locator('main'), `bulk grant ${programName}`),
  ]);
  return textOf(result);
}

export async function waitForDownload(page: Page, action: () => Promise<void>): Promise<Download> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }),
    action(),
  ]);
  return download;
}

/**
 * Rejects as soon as an error alert appears inside `scope`, with its text and code, so a
 * failing step says why instead of timing out. Never resolves otherwise.
 */
export async function failureOn(scope: Locator, step: string): Promise<never> {
  const alert = scope.locator('.alert--error').first();
  await alert.waitFor({ timeout: 10 * 60_000 });
  const code = await alert.getAttribute('data-error-code');
  throw new Error(`${step} failed: ${await textOf(alert)}${code ? ` [${code}]` : ''}`);
}

/** The text a locator shows, trimmed ('' when it has none). */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

// --- finance ---------------------------------------------------------------------------------
//
// Every money step is confirmed with the officer's own passkey: the console fetches what is to
// be signed, says it in plain words in a dialog, and "Bekræft med din adgangsnøgle" signs it on
// the computer's authenticator (see support/passkeys.ts: the officer must have enrolled one).

/**
 * Presses the button that starts a signed step, waits for the dialog that says what will be
 * signed (or the refusal in its place), reads it, and confirms with the passkey. Resolves with
 * the dialog's plain words.
 */
async function confirmWithPasskey(page: Page, start: Locator, title: string, step: string): Promise<string> {
  await start.click();
  const dialog = page.getByRole('dialog', { name: title });
  await Promise.race([
    dialog.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), `${step}: fetch what to sign`),
  ]);
  const plainWords = await textOf(dialog.getByTestId('signed-step-text'));
  await dialog.getByRole('button', { name: text('signing.sign') }).click();
  await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  return plainWords;
}

export type FundingOutcome = 'funded' | 'awaiting-second-officer';

/**
 * Adds funds to a program; `kroner` is typed as a person would ("15.000,00"). Below the
 * municipality's limit the officer's signature adds them; above it the funding waits for a
 * second officer. Resolves with which, and the dialog's plain words.
 */
export async function fundProgram(
  page: Page,
  programName: string,
  kroner: string,
): Promise<{ outcome: FundingOutcome; plainWords: string }> {
  await openMenu(page, 'nav.programs');
  await page.getByLabel(text('funding.program')).selectOption({ label: programName });
  await page.getByLabel(text('funding.amount')).fill(kroner);
  const form = page
    .locator('section')
    .filter({ has: page.getByRole('heading', { name: text('funding.formTitle') }) });
  const plainWords = await confirmWithPasskey(
    page,
    form.getByRole('button', { name: text('funding.submit') }),
    text('signing.fund.title', { program: programName }),
    `fund ${programName}`,
  );
  const done = form.getByRole('status').filter({ hasText: programName });
  await Promise.race([done.waitFor({ timeout: 60_000 }), failureOn(form, `fund ${programName}`)]);
  const said = await textOf(done);
  const amount = formatOre(parseKronerInput(kroner, 'da') ?? 0n, 'da');
  const awaiting = text('funding.awaitingSecond', { amount, program: programName });
  return { outcome: said === awaiting ? 'awaiting-second-officer' : 'funded', plainWords };
}

/** The row of a funding waiting for a second officer, under "Venter på en anden medarbejder". */
export async function awaitingFunding(page: Page, programName: string, amount: string): Promise<Locator> {
  await openMenu(page, 'nav.programs');
  const row = page
    .getByTestId('awaiting-fundings')
    .locator('tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: programName, exact: true }) })
    .filter({ hasText: amount });
  await Promise.race([
    row.first().waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), `find the funding of ${amount} to ${programName}`),
  ]);
  return row.first();
}

/** The officer who asked for a funding cannot approve it, and is told why beside the button. */
export async function expectCannotApproveFunding(
  page: Page,
  programName: string,
  amount: string,
): Promise<void> {
  const row = await awaitingFunding(page, programName, amount);
  const approve = row.getByRole('button', { name: text('funding.approve') });
  if (await approve.isEnabled()) throw new Error('the officer who asked can approve their own funding');
  const reasonId = await approve.getAttribute('aria-describedby');
  const reason = reasonId ? await textOf(page.locator(`[id="${reasonId}"]`)) : '';
  if (reason !== text('funding.ownRequest')) throw new Error(`no reason given, got "${reason}"`);
}

/** A second, different officer approves a waiting funding with their passkey; the money is added. */
export async function approveFunding(page: Page, programName: string, amount: string): Promise<string> {
  const row = await awaitingFunding(page, programName, amount);
  const section = page.getByTestId('awaiting-fundings');
  const plainWords = await confirmWithPasskey(
    page,
    row.getByRole('button', { name: text('funding.approve') }),
    text('funding.approveConfirmTitle', { program: programName }),
    `approve the funding of ${programName}`,
  );
  await Promise.race([
    section
      .getByRole('status')
      .filter({ hasText: text('funding.approvedDone', { amount, program: programName }) })
      .waitFor({ timeout: 60_000 }),
    failureOn(section, `approve the funding of ${programName}`),
  ]);
  return plainWords;
}

/** Opens the periods page and the given period's detail (reconciliation, settlement). */
export async function openPeriod(page: Page, periodId: number): Promise<Locator> {
  await openMenu(page, 'nav.periods');
  await page
    .getByRole('button', { name: `${text('periods.open')} ${text('periods.periodN', { id: periodId })}` })
    .click();
  const detail = page.locator(`[data-testid="period-detail"][data-period-id="${periodId}"]`);
  await detail.waitFor({ timeout: STEP_TIMEOUT_MS });
  return detail;
}

/**
 * Closes the open period, confirmed with the officer's passkey; resolves with its id once the
 * chain confirmed it.
 */
export async function closePeriod(page: Page): Promise<number> {
  await openMenu(page, 'nav.periods');
  const close = page.getByRole('button', { name: /^Luk periode \d+$/ });
  await close.waitFor({ timeout: STEP_TIMEOUT_MS });
  const periodId = Number(/(\d+)$/.exec(await textOf(close))?.[1]);
  await confirmWithPasskey(
    page,
    close,
    text('signing.close.title', { period: periodId }),
    `close period ${periodId}`,
  );
  await Promise.race([
    page
      .locator(`[data-testid="periods"] tr[data-period-id="${periodId}"]`)
      .filter({ hasText: text('periods.statuses.closed') })
      .waitFor({ timeout: 60_000 }),
    failureOn(page.locator('main'), `close period ${periodId}`),
  ]);
  return periodId;
}

/**
 * Officer A proposes paying the period: the dialog states the reconciled total, which her
 * passkey signs. Resolves with the dialog's plain words.
 */
export async function proposeSettlement(page: Page, periodId: number): Promise<string> {
  const detail = await openPeriod(page, periodId);
  const plainWords = await confirmWithPasskey(
    page,
    detail.getByRole('button', { name: text('settlement.propose') }),
    text('signing.propose.title', { period: periodId }),
    `propose period ${periodId}`,
  );
  await waitForSettlementStatus(detail, 'proposed', `propose period ${periodId}`);
  return plainWords;
}

/**
 * The proposer's view: the approve button is disabled with the reason beside it, and the
 * page says it waits for another officer.
 */
export async function expectCannotApprove(page: Page, periodId: number): Promise<void> {
  const detail = await openPeriod(page, periodId);
  await waitForSettlementStatus(detail, 'proposed', `open period ${periodId}`);
  await detail.getByTestId('waiting-for-other-officer').waitFor();
  const approve = detail.getByRole('button', { name: text('settlement.approve') });
  if (await approve.isEnabled()) throw new Error('the proposer can press approve');
  const reasonId = await approve.getAttribute('aria-describedby');
  const reason = reasonId ? await textOf(detail.locator(`[id="${reasonId}"]`)) : '';
  if (reason !== text('settlement.approveDisabledReason'))
    throw new Error(`no reason given, got "${reason}"`);
}

/**
 * Officer B approves the settlement with her passkey, after the confirmation names who
 * proposed what. Resolves with the dialog's plain words.
 */
export async function approveSettlement(page: Page, periodId: number): Promise<string> {
  const detail = await openPeriod(page, periodId);
  const plainWords = await confirmWithPasskey(
    page,
    detail.getByRole('button', { name: text('settlement.approve') }),
    text('signing.approve.title', { period: periodId }),
    `approve period ${periodId}`,
  );
  await waitForSettlementStatus(detail, 'approved', `approve period ${periodId}`);
  return plainWords;
}

/**
 * The settlement says who confirmed a step with which passkey: "Godkendt af demo.finance2
 * med adgangsnøglen "…", <time>". Resolves with the line.
 */
export async function expectSignedBy(
  page: Page,
  periodId: number,
  step: 'close' | 'propose' | 'approve' | 'bank-confirmation',
  username: string,
  deviceName: string,
): Promise<string> {
  const detail = page.locator(`[data-testid="period-detail"][data-period-id="${periodId}"]`);
  if (!(await detail.isVisible())) await openPeriod(page, periodId);
  const line = detail.getByTestId('signatures').locator(`li[data-step="${step}"]`);
  const stepName = text(`signing.steps.${step === 'bank-confirmation' ? 'bankConfirmation' : step}`);
  const expected = text('signing.signedBy', { step: stepName, username, device: deviceName, date: '' });
  await line.filter({ hasText: expected.trim().replace(/,$/, '') }).waitFor({ timeout: STEP_TIMEOUT_MS });
  return textOf(line);
}

/** Pays the providers on chain after the confirmation; waits until the period is paid. */
export async function executeSettlement(page: Page, periodId: number): Promise<void> {
  const detail = await openPeriod(page, periodId);
  await detail.getByRole('button', { name: text('settlement.execute') }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: text('settlement.execute') })
    .click();
  await waitForSettlementStatus(detail, 'paid', `execute period ${periodId}`);
}

/** Downloads the period's pain.001 bank file; resolves with its name and XML. */
export async function downloadBankFile(
  page: Page,
  periodId: number,
): Promise<{ filename: string; xml: string }> {
  const detail = await openPeriod(page, periodId);
  const download = await waitForDownload(page, () =>
    detail.getByRole('button', { name: text('settlement.bankFile') }).click(),
  );
  return { filename: download.suggestedFilename(), xml: await readFile(await download.path(), 'utf8') };
}

/** Downloads the period's settlement statement as CSV. */
export async function downloadStatementCsv(
  page: Page,
  periodId: number,
): Promise<{ filename: string; csv: string }> {
  const detail = await openPeriod(page, periodId);
  const download = await waitForDownload(page, () =>
    detail.getByRole('button', { name: text('settlement.csv') }).click(),
  );
  return { filename: download.suggestedFilename(), csv: await readFile(await download.path(), 'utf8') };
}

async function waitForSettlementStatus(detail: Locator, status: string, step: string): Promise<void> {
  await Promise.race([
    detail.locator(`[data-settlement-status="${status}"]`).waitFor({ timeout: 90_000 }),
    failureOn(detail, step),
  ]);
}
