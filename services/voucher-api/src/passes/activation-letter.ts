import { formatActivationCode } from './activation-code.ts';

/**
 * The activation letter, as print-ready HTML (A4). Danish first, English below. It is printed
 * for the citizen, so their name and address appear on it; it must therefore be served with
 * `Cache-Control: no-store` and never logged, and nothing personal goes into any URL.
 */
export interface ActivationLetter {
  municipalityName: string;
  recipientName: string;
  recipientAddressLines: readonly string[];
  /** Canonical code; printed grouped. */
  activationCode: string;
  activationCodeExpiresAt: Date;
  /** Inline SVG of the static pass (from `renderQrSvg`): trusted markup we generated. */
  passQrSvg: string;
  passSerial: bigint;
  /** Where the citizen installs the app, e.g. "https://pas.aarhus.dk". */
  citizenAppUrl: string;
  printedAt: Date;
}

export function renderActivationLetter(letter: ActivationLetter): string {
  const code = escapeHtml(formatActivationCode(letter.activationCode));
  const municipality = escapeHtml(letter.municipalityName);
  const appUrl = escapeHtml(letter.citizenAppUrl);
  const expiresDa = danishDate(letter.activationCodeExpiresAt);
  const expiresEn = englishDate(letter.activationCodeExpiresAt);
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>${municipality}: Aktivering af dit fritidspas / Activating your pass</title>
<style>${LETTER_CSS}</style>
</head>
<body>
<main class="page">
<header>
  <p class="sender">${municipality}</p>
  <address class="recipient">${[letter.recipientName, ...letter.recipientAddressLines].map(escapeHtml).join('<br>')}</address>
  <p class="date">${danishDate(letter.printedAt)}</p>
</header>
<section lang="da">
  <h1>Dit pas til kommunens tilbud</h1>
  <p>${municipality} har givet dig adgang til tilbud og tilskud, fx fritidsaktiviteter, tøj, bøger og sport. Du betaler med passet hos de steder, der er med i ordningen. Passet viser ikke dit navn eller CPR-nummer.</p>
  <h2>Sådan bruger du passet</h2>
  <ol>
    <li><strong>Med telefonen:</strong> gå til <span class="url">${appUrl}</span> og skriv aktiveringskoden herunder. Appen viser derefter en QR-kode, der skifter hvert 15. sekund.</li>
    <li><strong>Uden telefon:</strong> klip passet nederst ud og vis QR-koden, når du betaler.</li>
  </ol>
  <p class="code-box">Aktiveringskode: <span class="code">${code}</span><br><small>Gælder til ${expiresDa}. Koden kan kun bruges én gang. Del den ikke med andre.</small></p>
  <p>Mister du passet, så kontakt kommunen. Vi spærrer det gamle pas med det samme og sender et nyt.</p>
</section>
<section lang="en" class="english">
  <h1>Your pass for municipal offers</h1>
  <p>${municipality} has given you access to offers and support, for example leisure activities, clothes, books and sport. You pay with the pass at the places that take part. The pass does not show your name or CPR number.</p>
  <h2>How to use the pass</h2>
  <ol>
    <li><strong>With your phone:</strong> go to <span class="url">${appUrl}</span> and enter the activation code above. The app then shows a QR code that changes every 15 seconds.</li>
    <li><strong>Without a phone:</strong> cut out the pass below and show the QR code when you pay.</li>
  </ol>
  <p><small>The activation code is valid until ${expiresEn} and works once. Do not share it. If you lose the pass, contact the municipality: we block the old pass at once and send you a new one.</small></p>
</section>
<figure class="pass">
  <div class="qr">${letter.passQrSvg}</div>
  <figcaption>${municipality}<br>Pas nr. / Pass no. ${letter.passSerial.toString()}</figcaption>
</figure>
</main>
</body>
</html>
`;
}

// One A4 sheet (297 mm less 30 mm of margins): the letter measures about 235 mm in Chromium
// with a long name, a three-line address and a long URL, so it keeps room to spare. The pass
// stays card-sized (85.6 × 54 mm) to be cut out.
const LETTER_CSS = `
@page { size: A4; margin: 15mm 18mm; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; background: #fff; margin: 0; }
.page { max-width: 174mm; margin: 0 auto; padding: 12mm 0; }
header { display: grid; grid-template-columns: 1fr auto; gap: 3mm; margin-bottom: 6mm; }
.sender { font-weight: bold; font-size: 13pt; margin: 0; grid-column: 1 / -1; }
.recipient { font-style: normal; }
.date { margin: 0; align-self: end; }
p { margin: 0 0 2mm; }
ol { margin: 0 0 2mm; padding-left: 6mm; }
h1 { font-size: 14pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 3mm 0 1.5mm; }
.english { margin-top: 5mm; color: #222; }
.code-box { border: 0.5mm solid #000; padding: 2mm 4mm; }
.code { font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 16pt; letter-spacing: 0.08em; font-weight: bold; }
.url { font-family: "DejaVu Sans Mono", "Courier New", monospace; }
.pass { margin: 5mm 0 0; width: 85.6mm; height: 54mm; border: 0.3mm dashed #000; padding: 3mm; display: flex; gap: 3mm; align-items: center; page-break-inside: avoid; break-inside: avoid; }
.qr { width: 46mm; height: 46mm; flex: none; }
.qr svg { width: 100%; height: 100%; display: block; }
figcaption { font-size: 9pt; }
@media print {
  .page { padding: 0; }
  a { color: inherit; text-decoration: none; }
}
`;

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

// Fixed month names rather than locale formatting: the letter reads the same whatever ICU data
// Node carries. The day is the one in Denmark, where the letter is read.
const DANISH_MONTHS = [
  'januar',
  'februar',
  'marts',
  'april',
  'maj',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'december',
];
const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const COPENHAGEN_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

function copenhagenDay(date: Date): { year: number; monthIndex: number; day: number } {
  const parts = Object.fromEntries(COPENHAGEN_DAY.formatToParts(date).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), monthIndex: Number(parts.month) - 1, day: Number(parts.day) };
}

function danishDate(date: Date): string {
  const { year, monthIndex, day } = copenhagenDay(date);
  return `${day}. ${DANISH_MONTHS[monthIndex]} ${year}`;
}

function englishDate(date: Date): string {
  const { year, monthIndex, day } = copenhagenDay(date);
  return `${day} ${ENGLISH_MONTHS[monthIndex]} ${year}`;
}
