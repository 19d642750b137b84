import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import { appDirectives, inlineScriptHashes, serializePolicy } from '../http/content-security-policy.ts';
import type { DemoLogin } from '../seed/demo.ts';
import { APPS_DIR, distDir, isBuilt, WEB_APPS } from './apps.ts';
import { renderStartPage } from './start-page.ts';

/**
 * Serves the built apps from the API's own origin (no CORS, one TLS name) and the start page
 * at `/`. Hashed files under assets/ never change, so browsers may keep them for a year;
 * index.html and the service worker must be revalidated so a new version arrives at once.
 */
declare module 'fastify' {
  interface FastifyInstance {
    /** Set by `npm start` after seeding demo data; the start page lists them. Never in production. */
    demoLogins: readonly DemoLogin[] | undefined;
  }
}

const webApps: FastifyPluginAsync<{ appsDir?: string }> = async (app, options) => {
  const appsDir = options.appsDir ?? APPS_DIR;

  // Beside the demo logins npm start prints: where a newcomer opens the apps.
  app.addHook('onListen', async () => {
    const address = app.addresses()[0];
    if (!address || typeof address === 'string') return;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const origin = `http://${host}:${address.port}`;
    const built = WEB_APPS.filter((webApp) => isBuilt(webApp, appsDir)).map(
      (webApp) => `${origin}${webApp.prefix}/`,
    );
    app.log.info(`Apps: ${origin}/ (start page) ${built.join(' ')}`);
  });

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(renderStartPage(appsDir, app.demoLogins)),
  );

  for (const webApp of WEB_APPS) {
    if (!isBuilt(webApp, appsDir)) continue;
    const root = distDir(webApp, appsDir);
    app.get(webApp.prefix, { schema: { hide: true } }, async (_request, reply) =>
      reply.redirect(`${webApp.prefix}/`, 301),
    );
    // The app's own policy on everything under its prefix, with the hash of any inline script
    // its build has (Vite's builds have none today; a future one keeps working without 'unsafe-inline').
    const policy = serializePolicy(
      appDirectives(inlineScriptHashes(await readFile(join(root, 'index.html'), 'utf8'))),
    );
    await app.register(
      async (scope) => {
        scope.addHook('onSend', async (_request, reply, payload) => {
          reply.header('content-security-policy', policy);
          return payload;
        });
        await scope.register(fastifyStatic, {
          root,
          prefix: '/',
          schemaHide: true,
          // Our own policy per file instead of send's one-size max-age.
          cacheControl: false,
          setHeaders: (response, filePath) => response.setHeader('cache-control', cacheControlFor(filePath)),
        });
        // Client-side routes: a page address that is not a file gets the app itself.
        scope.setNotFoundHandler(async (request, reply) => {
          if (request.method !== 'GET' || !request.headers.accept?.includes('text/html')) {
            throw new AppError('NOT_FOUND');
          }
          return sendIndex(reply, root);
        });
      },
      { prefix: webApp.prefix },
    );
  }
};

async function sendIndex(reply: FastifyReply, root: string) {
  const html = await readFile(join(root, 'index.html'), 'utf8');
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

function cacheControlFor(filePath: string): string {
  if (/[/\\]assets[/\\]/.test(filePath)) return 'public, max-age=31536000, immutable';
  if (filePath.endsWith('.html') || filePath.endsWith('sw.js') || filePath.endsWith('.webmanifest')) {
    return 'no-cache';
  }
  return 'public, max-age=3600';
}

export default webApps;
