import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../src/http/content-security-policy.ts';
import errorHandler from '../src/plugins/app/error-handler.ts';
import security from '../src/plugins/external/security.ts';
import { enrol, person } from '../src/routes/citizens/test-helpers.ts';
import { isBuilt, WEB_APPS } from '../src/web-apps/apps.ts';
import webApps from '../src/web-apps/index.ts';
import { bearer, createTestApp, insertStaff, loginAs, type TestApp, testConfig } from './support/app.ts';

/** The policy's directives by name: "script-src 'self' 'sha256-…'" → { 'script-src': [...] }. */
function directives(header: string | string[] | number | undefined): Record<string, string[]> {
  expect(typeof header, 'a Content-Security-Policy header').toBe('string');
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...values]) => [name, values]),
  );
}

/** What may run scripts on a page: script-src, or default-src when there is none. */
function scriptSources(policy: Record<string, string[]>): string[] {
  return policy['script-src'] ?? policy['default-src'] ?? [];
}

describe('a Content-Security-Policy per surface', () => {
  let testApp: TestApp;
  let caseworker: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    await insertStaff(testApp, { username: 'case', role: 'caseworker' });
    caseworker = await loginAs(testApp, 'case');
  });
  afterAll(() => testApp.close());

  it('lets JSON answers load, frame and run nothing', async () => {
    const policy = directives(
      (await testApp.app.inject({ url: '/providers' })).headers['content-security-policy'],
    );
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
  });

  it('runs no script at all in the letter or on the start page, and lets the letter keep its styles', async () => {
    const citizen = (await enrol(testApp, caseworker, person())).json();
    const letter = await testApp.app.inject({
      method: 'POST',
      url: `/citizens/${citizen.citizenId}/letter`,
      headers: bearer(caseworker),
    });
    const start = await testApp.app.inject({ url: '/' });
    for (const [label, response] of Object.entries({ letter, start })) {
      expect(response.statusCode, label).toBe(200);
      const policy = directives(response.headers['content-security-policy']);
      expect(policy['script-src'], label).toBeUndefined();
      expect(policy['default-src'], label).toEqual(["'none'"]);
      expect(policy['style-src'], label).toEqual(["'unsafe-inline'"]);
    }
  });

  it("gives /docs Swagger UI's own policy, scripts from files only", async () => {
    const docs = await testApp.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    const policy = directives(docs.headers['content-security-policy']);
    expect(scriptSources(policy)).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    // Swagger UI's page loads its scripts from files, so none needs an exception.
    expect(inlineScriptHashes(docs.body)).toEqual([]);
  });

  it("gives each built app its own policy without 'unsafe-inline' scripts", async () => {
    for (const webApp of WEB_APPS.filter((candidate) => isBuilt(candidate))) {
      const page = await testApp.app.inject({ url: `${webApp.prefix}/`, headers: { accept: 'text/html' } });
      expect(page.statusCode, webApp.folder).toBe(200);
      const policy = directives(page.headers['content-security-policy']);
      expect(scriptSources(policy), webApp.folder).toEqual(["'self'", ...inlineScriptHashes(page.body)]);
      expect(policy['script-src-attr'], webApp.folder).toEqual(["'none'"]);
      expect(policy['connect-src'], webApp.folder).toEqual(["'self'"]);
    }
  });
});

describe("an app's policy follows its build", () => {
  let appsDir: string;
  let app: FastifyInstance;
  const inline = 'window.started = true;';
  beforeAll(async () => {
    appsDir = await mkdtemp(join(tmpdir(), 'csp-apps-'));
    for (const webApp of WEB_APPS) {
      const dist = join(appsDir, webApp.folder, 'dist');
      await mkdir(dist, { recursive: true });
      const script =
        webApp.folder === 'municipal-console'
          ? `<script>${inline}</script>`
          : `<script type="module" src="${webApp.prefix}/assets/index.js"></script>`;
      await writeFile(join(dist, 'index.html'), `<!doctype html><title>${webApp.folder}</title>${script}`);
    }
    app = Fastify();
    await app.register(errorHandler);
    await app.register(security, { config: testConfig() });
    await app.register(webApps, { appsDir });
  });
  afterAll(async () => {
    await app.close();
    await rm(appsDir, { recursive: true, force: true });
  });

  it("allows an inline script of a build by its hash, never by 'unsafe-inline', and only in that app", async () => {
    const hash = inlineScriptHashes(`<script>${inline}</script>`);
    expect(hash).toHaveLength(1);
    for (const webApp of WEB_APPS) {
      const page = await app.inject({ url: `${webApp.prefix}/some/route`, headers: { accept: 'text/html' } });
      expect(page.statusCode, webApp.folder).toBe(200);
      const sources = scriptSources(directives(page.headers['content-security-policy']));
      expect(sources, webApp.folder).not.toContain("'unsafe-inline'");
      expect(sources, webApp.folder).toEqual(
        webApp.folder === 'municipal-console' ? ["'self'", ...hash] : ["'self'"],
      );
    }
  });
});
