import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from './axe.ts';
import { launchChromium } from './browser.ts';
import { type ConsoleStack, startConsoleStack } from './stack.ts';
import { DEMO_STAFF, loginAs, openMenu } from './steps.ts';
import { text } from './texts.ts';

/**
 * "Nøgler der venter på administratorerne": the admin's list of timelock calls that give
 * officers' passkeys their roles on chain. In the embedded demo a development admin key
 * approves each key at once, so the list is empty; only the role admin sees it.
 */
let stack: ConsoleStack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startConsoleStack();
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'da-DK' })).newPage();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the admin sees that no passkeys wait for the admins in the demo', async () => {
  await loginAs(page, stack.baseUrl, DEMO_STAFF.admin);
  await openMenu(page, 'nav.awaitingAdmins');
  await page.getByRole('heading', { level: 1, name: text('awaitingAdmins.title') }).waitFor();
  const section = page.getByTestId('awaiting-admins');
  await section.getByText(text('awaitingAdmins.none'), { exact: true }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'no error beside the empty list');
  assert.equal(await section.getByRole('table').count(), 0);
  // Reloading reads the chain again and still finds nothing waiting.
  await page.getByRole('button', { name: text('awaitingAdmins.reload') }).click();
  await section.getByText(text('awaitingAdmins.none'), { exact: true }).waitFor();
  const findings = await seriousAxeViolations(page);
  assert.deepEqual(findings, [], `axe findings: ${JSON.stringify(findings, null, 2)}`);
});

test('a finance officer has no such screen in the menu', async () => {
  await loginAs(page, stack.baseUrl, DEMO_STAFF.finance1);
  const menu = await page.getByRole('navigation').getByRole('link').allTextContents();
  assert.ok(menu.length > 0);
  assert.ok(!menu.includes(text('nav.awaitingAdmins')), `menu: ${menu.join(', ')}`);
});
