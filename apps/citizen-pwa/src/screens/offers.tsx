import { useState } from 'preact/hooks';
import { useRemembered } from '../data.ts';
import { language, useT } from '../i18n.ts';
import { formatOre } from '../money.ts';
import type { Session } from '../store.ts';
import { LoadProblem } from './status.tsx';

interface Offer {
  id: string;
  providerId: number;
  providerName: string;
  title: string;
  description: string;
  priceOre: string;
  category: string;
}

const CATEGORIES = [
  'sport',
  'culture',
  'clothing',
  'books',
  'children',
  'food',
  'transport',
  'education',
] as const;

/** The public catalogue, grouped by provider, filtered by one category or none. */
export function OffersScreen() {
  const t = useT();
  const lang = language();
  const [category, setCategory] = useState<string>('');
  const path = category ? `/offers?category=${category}` : '/offers';
  // The catalogue is public: no token, so an ended session never hides it.
  const loaded = useRemembered<Offer[]>(`offers:${category}`, path, publicSession);
  const offers = loaded.data ?? [];
  const byProvider = new Map<string, Offer[]>();
  for (const offer of offers)
    byProvider.set(offer.providerName, [...(byProvider.get(offer.providerName) ?? []), offer]);

  return (
    <section aria-labelledby="offers-heading">
      <h1 id="offers-heading" tabIndex={-1}>
        {t('offers.heading')}
      </h1>
      <fieldset class="chips">
        <legend>{t('offers.filterLabel')}</legend>
        {['', ...CATEGORIES].map((name) => (
          <label key={name || 'all'} class={category === name ? 'chip selected' : 'chip'}>
            <input
              type="radio"
              name="category"
              value={name}
              checked={category === name}
              onChange={() => setCategory(name)}
            />
            {name ? t(`categories.${name}`) : t('offers.all')}
          </label>
        ))}
      </fieldset>
      <LoadProblem error={loaded.error?.status === 401 ? undefined : loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data ? <p>{t('common.loading')}</p> : null}
      {!loaded.loading && loaded.data && offers.length === 0 ? <p>{t('offers.empty')}</p> : null}
      <ul class="cards">
        {[...byProvider].map(([provider, providerOffers]) => (
          <li key={provider} class="card">
            <h2>{provider}</h2>
            <ul class="list">
              {providerOffers.map((offer) => (
                <li key={offer.id}>
                  <strong>{offer.title}</strong>
                  <span class="hint">
                    {t(`categories.${offer.category}`)} ·{' '}
                    {t('offers.price', { amount: formatOre(offer.priceOre, lang) })}
                  </span>
                  {offer.description ? <span>{offer.description}</span> : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

// The offers route ignores the token; a far-future pseudo-session lets the loader call it.
const publicSession: Session = { token: '', expiresAt: Number.MAX_SAFE_INTEGER, accountId: '' };
