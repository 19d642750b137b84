import { useEffect, useState } from 'preact/hooks';

/**
 * Screens are addressed by the hash (#/citizens), which never reaches a server. Only the
 * screen's name goes there: which citizen or settlement is open stays in memory.
 */
export type RouteName =
  | 'citizens'
  | 'bulk-grant'
  | 'programs'
  | 'periods'
  | 'statements'
  | 'disputes'
  | 'transparency'
  | 'passkeys'
  | 'awaiting-admins';

export interface RouteDefinition {
  name: RouteName;
  navKey: string;
  roles: readonly string[];
  /** Reached from the header rather than the main menu (the person's own settings). */
  header?: boolean;
}

export const ROUTES: readonly RouteDefinition[] = [
  { name: 'citizens', navKey: 'nav.citizens', roles: ['caseworker'] },
  { name: 'bulk-grant', navKey: 'nav.bulkGrant', roles: ['caseworker'] },
  { name: 'programs', navKey: 'nav.programs', roles: ['finance'] },
  { name: 'periods', navKey: 'nav.periods', roles: ['finance', 'auditor'] },
  { name: 'statements', navKey: 'nav.statements', roles: ['finance', 'auditor'] },
  // After each role's own first screen (a login still opens there). Caseworkers decide
  // disputes; finance reads them beside the corrections they lead to.
  { name: 'disputes', navKey: 'nav.disputes', roles: ['caseworker', 'finance'] },
  // The admin's one piece of work in the console, so an admin opens on it at sign-in.
  { name: 'awaiting-admins', navKey: 'nav.awaitingAdmins', roles: ['admin'] },
  { name: 'transparency', navKey: 'nav.transparency', roles: ['admin', 'caseworker', 'finance', 'auditor'] },
  // Last, so no role opens on it at sign-in unless the console leads them there to enrol.
  {
    name: 'passkeys',
    navKey: 'nav.passkeys',
    roles: ['admin', 'caseworker', 'finance', 'auditor'],
    header: true,
  },
];

export function routesFor(role: string | undefined): RouteDefinition[] {
  return ROUTES.filter((route) => role !== undefined && route.roles.includes(role));
}

export function useHashRoute(): string {
  const [hash, setHash] = useState(readHash);
  useEffect(() => {
    const update = () => setHash(readHash());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

function readHash(): string {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

export function navigate(route: RouteName): void {
  window.location.hash = `/${route}`;
}
