import { apiJson } from '../api/client.ts';
import type { ProviderSummary } from '../api/types.ts';
import { useResource } from './use-resource.ts';

/** Provider names by id, for reports that carry only ids. */
export function useProviders() {
  return useResource(() => apiJson<ProviderSummary[]>('GET', '/providers'), []);
}

export function providerName(providers: ProviderSummary[] | undefined, id: number): string {
  return providers?.find((provider) => provider.id === id)?.name ?? `#${id}`;
}
