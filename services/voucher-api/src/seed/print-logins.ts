import type { DemoLogin } from './demo.ts';

/** The block `npm start` prints so a newcomer can log in straight away. */
export function formatDemoLogins(baseUrl: string, logins: readonly DemoLogin[]): string {
  const width = Math.max(...logins.map((login) => login.username.length));
  const lines = logins.map(
    (login) =>
      `  ${login.username.padEnd(width)}  ${login.password.padEnd(24)}  ${login.role}${login.providerId ? ` (provider ${login.providerId})` : ''}`,
  );
  return [`API:  ${baseUrl}`, `Docs: ${baseUrl}/docs`, 'Demo logins (POST /auth/login):', ...lines].join(
    '\n',
  );
}
