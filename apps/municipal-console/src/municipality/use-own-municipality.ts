import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { MunicipalityView } from '../api/types.ts';
import type { Session } from '../auth/session.ts';

/** The roles the API tells their own municipality (GET /municipality). */
const MUNICIPAL_ROLES = new Set(['admin', 'caseworker', 'finance', 'auditor']);

/**
 * The signed-in officer's own municipality, for the header: one service serves many
 * municipalities, and an officer must see at a glance whose console this is. The name is
 * kept with the session it was loaded for, so signing in as another municipality's officer
 * never shows the previous one's name, not even for a moment. Undefined while loading, when
 * signed out, or when it could not be loaded (the header then names no municipality).
 */
export function useOwnMunicipality(session: Session | undefined): MunicipalityView | undefined {
  const token = session && MUNICIPAL_ROLES.has(session.role) ? session.accessToken : undefined;
  const [loaded, setLoaded] = useState<{ token: string; municipality: MunicipalityView }>();
  useEffect(() => {
    if (!token) return;
    let current = true;
    apiJson<MunicipalityView>('GET', '/municipality').then(
      (municipality) => current && setLoaded({ token, municipality }),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [token]);
  return token && loaded?.token === token ? loaded.municipality : undefined;
}
