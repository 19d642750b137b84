import type { Page } from 'playwright-core';
import { type Frame, photograph } from './fake-camera.ts';
import { citizenText as t } from './texts.ts';

const STEP_TIMEOUT_MS = 30_000;

/** The citizen types the code from the letter; resolves when the phone shows the pass. */
export async function activate(page: Page, baseUrl: string, code: string): Promise<void> {
  await page.goto(`${baseUrl}/citizen/`);
  await page.getByLabel(t('activate.codeLabel')).fill(code);
  await page.getByRole('button', { name: t('activate.submit') }).click();
  await Promise.race([
    page.getByRole('heading', { name: t('pass.heading') }).waitFor({ timeout: STEP_TIMEOUT_MS }),
    page
      .getByRole('alert')
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .then(async () => {
        throw new Error(`activation failed: ${await page.getByRole('alert').innerText()}`);
      }),
  ]);
}

export async function openTab(page: Page, tab: 'pass' | 'vouchers' | 'history' | 'offers'): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: t(`nav.${tab}`) })
    .click();
  await page.locator('main h1').waitFor();
}

/**
 * Points the scanner's camera at the phone: waits for a code the phone has just made (so it
 * is seconds old when scanned) and photographs it.
 */
export async function photographRotatingQr(page: Page, scratch: Page): Promise<Frame> {
  if (!(await page.locator('#rotating-qr').isVisible())) await openTab(page, 'pass');
  const card = page.locator('[data-pass="rotating"]');
  const before = await card.getAttribute('data-issued-at');
  await page.waitForFunction(
    (previous) => {
      const issued = document.querySelector('[data-pass="rotating"]')?.getAttribute('data-issued-at');
      return issued && issued !== previous;
    },
    before,
    { timeout: 20_000, polling: 100 },
  );
  const issuedAt = await card.getAttribute('data-issued-at');
  const frame = await photograph(page.locator('#rotating-qr'), scratch);
  if ((await card.getAttribute('data-issued-at')) !== issuedAt) return photographRotatingQr(page, scratch);
  return frame;
}
