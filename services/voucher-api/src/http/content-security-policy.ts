import { createHash } from 'node:crypto';

/**
 * One Content-Security-Policy per surface the service answers from, each as narrow as that
 * surface allows. No policy lets an inline script run: the apps' Vite builds load external
 * module scripts (an inline one that appears in a build is allowed by its hash, see
 * `appPolicy`), the letter and the start page run no script at all, and Swagger UI loads its
 * scripts from files.
 */
type Directives = Record<string, readonly string[]>;

export function serializePolicy(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** JSON answers: nothing may be loaded, framed or run by them. */
export const API_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Server-rendered documents (the activation letter, the start page): their own inline
 * styles and pictures given as data: URLs (the letter's QR), no scripts. The console shows the
 * letter in a frame of its own origin before printing.
 */
export const DOCUMENT_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'self'"],
};

/**
 * Swagger UI at /docs: its bundle and initializer are files on our origin; React sets styles
 * as attributes and the bundle inserts style elements, so styles stay inline-capable.
 */
export const DOCS_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * An installable app (citizen, scanner, console): scripts only from our origin or an inline
 * script whose hash is listed; the API on the same origin; the service worker and manifest;
 * data: and blob: pictures (QR codes, the camera's frames); the console frames the letter.
 * Styles may be inline: preact sets style attributes and the letter brings its own <style>.
 */
export function appDirectives(inlineScriptHashes: readonly string[]): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...inlineScriptHashes],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'frame-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** `'sha256-…'` of each inline <script> in a page (one with a src attribute is not inline). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [, attributes = '', body = ''] = match;
    if (/\bsrc\s*=/i.test(attributes) || body.length === 0) continue;
    hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

export const API_POLICY = serializePolicy(API_DIRECTIVES);
export const DOCUMENT_POLICY = serializePolicy(DOCUMENT_DIRECTIVES);
export const DOCS_POLICY = serializePolicy(DOCS_DIRECTIVES);
