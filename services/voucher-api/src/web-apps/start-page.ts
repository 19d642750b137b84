import type { DemoLogin } from '../seed/demo.ts';
import { isBuilt, WEB_APPS } from './apps.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char,
  );

/** Demo data only: each municipality's logins, then the platform operator's. */
function renderDemoLogins(logins: readonly DemoLogin[]): string {
  const groups = new Map<string, DemoLogin[]>();
  for (const login of logins) {
    const group = login.municipality ?? 'Platform / Platform';
    groups.set(group, [...(groups.get(group) ?? []), login]);
  }
  const sections = [...groups].map(
    ([name, members]) => `<h3>${escapeHtml(name)}</h3>
<table><thead><tr><th>Brugernavn <span lang="en">/ Username</span></th><th>Adgangskode <span lang="en">/ Password</span></th><th>Rolle <span lang="en">/ Role</span></th></tr></thead>
<tbody>${members.map((login) => `<tr><td><code>${escapeHtml(login.username)}</code></td><td><code>${escapeHtml(login.password)}</code></td><td>${escapeHtml(login.role)}</td></tr>`).join('')}</tbody></table>`,
  );
  return `<section aria-labelledby="demo-logins">
<h2 id="demo-logins">Demo-logins <span lang="en">/ Demo logins</span></h2>
<p>To kommuner på samme kæde og tjeneste, hver for sig. <span lang="en">Two municipalities on one chain and service, each walled off.</span></p>
${sections.join('\n')}
</section>`;
}

/** The page at `/`: what each app is for and a link to it, Danish first and English second. */
export function renderStartPage(appsDir?: string, demoLogins?: readonly DemoLogin[]): string {
  const items = WEB_APPS.map((app) => {
    const built = isBuilt(app, appsDir);
    const title = `${escapeHtml(app.title.da)} <span lang="en">/ ${escapeHtml(app.title.en)}</span>`;
    return `<li>
  <h2>${built ? `<a href="${app.prefix}/">${title}</a>` : title}</h2>
  <p>${escapeHtml(app.audience.da)}</p>
  <p lang="en">${escapeHtml(app.audience.en)}</p>
  ${built ? '' : '<p class="missing">Ikke bygget endnu: kør <code>npm run build:apps</code>. <span lang="en">Not built yet: run <code>npm run build:apps</code>.</span></p>'}
</li>`;
  }).join('\n');
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kommunale tilskud / Municipal vouchers</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; line-height: 1.5; }
header { background: #0b5394; color: #fff; padding: 16px 24px; }
main { max-width: 720px; margin: 0 auto; padding: 16px 24px; }
ul { list-style: none; padding: 0; }
li { border: 1px solid #767676; border-radius: 12px; padding: 8px 20px; margin: 16px 0; }
a { color: #0b5394; }
.missing { color: #6b4e00; }
table { border-collapse: collapse; margin-bottom: 16px; }
th, td { text-align: left; padding: 2px 12px 2px 0; }
</style>
</head>
<body>
<header><h1>Kommunale tilskud <span lang="en">/ Municipal vouchers</span></h1></header>
<main>
<ul>
${items}
</ul>
${demoLogins?.length ? renderDemoLogins(demoLogins) : ''}
<p><a href="/docs">API-dokumentation <span lang="en">/ API documentation</span></a></p>
</main>
</body>
</html>
`;
}
