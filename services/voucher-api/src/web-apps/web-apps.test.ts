import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import errorHandler from '../plugins/app/error-handler.ts';
import { initialJs } from './bundle-size.ts';
import webApps from './index.ts';
import { renderStartPage } from './start-page.ts';

/**
 * The apps are served from the API's origin: files with the right caching, the app itself
 * for its client-side routes, a JSON 404 for a missing file, and a start page that only
 * links apps that were built.
 */
let appsDir: string;
let app: FastifyInstance;

beforeAll(async () => {
  appsDir = await mkdtemp(join(tmpdir(), 'web-apps-'));
  const dist = join(appsDir, 'citizen-pwa', 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(
    join(dist, 'index.html'),
    '<!doctype html><title>Mit pas</title><script type="module" src="/citizen/assets/index-abc.js"></script>',
  );
  await writeFile(join(dist, 'assets', 'index-abc.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
  await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  app = Fastify();
  await app.register(errorHandler);
  await app.register(webApps, { appsDir });
});

afterAll(async () => {
  await app.close();
  await rm(appsDir, { recursive: true, force: true });
});

describe('web apps', () => {
  it('links the built app from the start page and tells how to build the others', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/citizen/"');
    expect(response.body).not.toContain('href="/scanner/"');
    expect(response.body).toContain('npm run build:apps');
  });

  it("lists the demo's logins per municipality, and the platform operator apart", () => {
    const page = renderStartPage(appsDir, [
      { username: 'demo.finance1', password: 'pw-a', role: 'finance', municipality: 'Demo Kommune' },
      { username: 'nabo.finance1', password: 'pw-b', role: 'finance', municipality: 'Nabo Kommune' },
      { username: 'platform.ops', password: 'pw-c', role: 'operator' },
    ]);
    const order = [
      'Demo Kommune',
      'demo.finance1',
      'Nabo Kommune',
      'nabo.finance1',
      'Platform',
      'platform.ops',
    ];
    const positions = order.map((text) => page.indexOf(text));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(renderStartPage(appsDir)).not.toContain('Demo-logins');
  });

  it('serves the app with hashed assets cached for good and the shell and worker revalidated', async () => {
    const shell = await app.inject({ url: '/citizen/' });
    expect(shell.statusCode).toBe(200);
    expect(shell.body).toContain('Mit pas');
    expect(shell.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ url: '/citizen/assets/index-abc.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const worker = await app.inject({ url: '/citizen/sw.js' });
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('redirects the bare prefix to the app', async () => {
    const response = await app.inject({ url: '/citizen' });
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/citizen/');
  });

  it('answers a page address inside the app with the app, and a missing file with a 404', async () => {
    const page = await app.inject({ url: '/citizen/vouchers', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Mit pas');
    const missing = await app.inject({ url: '/citizen/assets/gone.js', headers: { accept: '*/*' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('counts the entry script as initial JavaScript', () => {
    const size = initialJs(join(appsDir, 'citizen-pwa', 'dist'));
    expect(size.files).toEqual(['assets/index-abc.js']);
    expect(size.gzipBytes).toBeGreaterThan(0);
    expect(size.gzipBytes).toBeLessThan(size.bytes);
  });
});
