import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { da, en } from './locales.ts';

export type Language = 'da' | 'en';
const STORAGE_KEY = 'scanner.language';

/** Danish unless the person chose English here before, or their phone is set to English. */
function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'da' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'da';
}

export const i18n = i18next.createInstance();
i18n.init({
  // Resources are bundled, so initialising synchronously is safe and avoids a first blank render.
  initAsync: false,
  lng: initialLanguage(),
  fallbackLng: 'da',
  resources: { da: { translation: da }, en: { translation: en } },
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18n.language;

export function language(): Language {
  return i18n.language === 'en' ? 'en' : 'da';
}

export async function setLanguage(next: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, next);
  await i18n.changeLanguage(next);
  document.documentElement.lang = next;
}

/** Re-renders the calling component when the language changes. */
export function useT() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const onChange = () => setTick((tick) => tick + 1);
    i18n.on('languageChanged', onChange);
    return () => i18n.off('languageChanged', onChange);
  }, []);
  return i18n.t.bind(i18n);
}
