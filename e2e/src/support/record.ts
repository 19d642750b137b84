import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { seriousAxeFindings } from './axe.ts';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));

/**
 * Names this run's folder (e2e/artifacts/<name>-<time>/), and for every step a person sees
 * saves a numbered screenshot and runs axe on the page: a serious or critical finding fails
 * the step, with the rule and the elements.
 */
export class Recorder {
  readonly dir: string;
  private count = 0;
  readonly figures: string[] = [];

  constructor(name: string) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('Z', '');
    this.dir = join(ARTIFACTS, `${name}-${stamp}`);
    mkdirSync(this.dir, { recursive: true });
    console.log(`screenshots: ${this.dir}`);
  }

  async step(page: Page, name: string): Promise<void> {
    this.count += 1;
    const file = `${String(this.count).padStart(2, '0')}-${name}.png`;
    await page.screenshot({ path: join(this.dir, file), fullPage: true });
    const findings = await seriousAxeFindings(page);
    assert.deepEqual(findings, [], `axe on "${name}": ${JSON.stringify(findings, null, 2)}`);
  }

  /** A measured figure, printed now and again in the summary at the end. */
  figure(text: string): void {
    this.figures.push(text);
    console.log(text);
  }
}
