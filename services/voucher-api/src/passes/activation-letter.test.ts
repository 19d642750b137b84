import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderActivationLetter } from './activation-letter.ts';
import { generatePassSigningKey } from './pass-signing-key.ts';
import { renderQrPng, renderQrSvg } from './qr.ts';
import { signStaticPass } from './static-pass.ts';

const key = generatePassSigningKey();
const passText = signStaticPass(key.privateKey, {
  accountId: randomBytes(32),
  serial: 7n,
  issuedAt: new Date(),
});

describe('QR rendering', () => {
  it('renders a pass as SVG', async () => {
    const svg = await renderQrSvg(passText);
    expect(svg).toMatch(/^<svg[^>]+viewBox/);
    expect(svg).not.toContain('<script');
  });

  it('renders a pass as PNG', async () => {
    const png = await renderQrPng(passText);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      true,
    );
  });
});

describe('activation letter', () => {
  async function letter(overrides: Partial<Parameters<typeof renderActivationLetter>[0]> = {}) {
    return renderActivationLetter({
      municipalityName: 'Aarhus Kommune',
      recipientName: 'Karen Jensen',
      recipientAddressLines: ['Nørregade 1', '8000 Aarhus C'],
      activationCode: 'ABCDEFGHJK',
      activationCodeExpiresAt: new Date('2027-01-31T12:00:00Z'),
      passQrSvg: await renderQrSvg(passText),
      passSerial: 7n,
      citizenAppUrl: 'https://pas.example.dk',
      printedAt: new Date('2027-01-01T12:00:00Z'),
      ...overrides,
    });
  }

  it('is an A4 print page in Danish with English below', async () => {
    const html = await letter();
    expect(html).toContain('size: A4');
    expect(html).toContain('@media print');
    expect(html).toContain('<html lang="da">');
    expect(html.indexOf('lang="da"')).toBeLessThan(html.indexOf('lang="en"'));
  });

  it('carries the municipality, the grouped code, the inline QR and the serial', async () => {
    const html = await letter();
    expect(html).toContain('Aarhus Kommune');
    expect(html).toContain('ABCD-EFGH-JK');
    expect(html).toMatch(/<div class="qr"><svg/);
    expect(html).toContain('Pass no. 7');
    expect(html).toContain('31. januar 2027');
    expect(html).toContain('31 January 2027');
  });

  it('says the phone’s QR code changes every 15 seconds, in both languages', async () => {
    const html = await letter();
    expect(html).toContain('en QR-kode, der skifter hvert 15. sekund.');
    expect(html).toContain('a QR code that changes every 15 seconds.');
    expect(html).not.toMatch(/minut|minute/);
  });

  it('fits one A4 sheet: small margins, a card-sized pass that is never split', async () => {
    const html = await letter();
    // Chromium's page count is checked in the console's e2e smoke test (one PDF page).
    expect(html).toContain('@page { size: A4; margin: 15mm 18mm; }');
    expect(html).toMatch(/\.pass \{[^}]*width: 85\.6mm; height: 54mm;[^}]*break-inside: avoid;/);
  });

  it('escapes personal data instead of injecting it as markup', async () => {
    const html = await letter({ recipientName: '<img src=x onerror=alert(1)>' });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('puts no personal data in any link', async () => {
    const html = await letter();
    for (const [, href] of html.matchAll(/(?:href|src)="([^"]*)"/g)) {
      expect(href).not.toMatch(/Karen|Jensen|Nørregade/);
    }
  });
});
