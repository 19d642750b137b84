import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import { da } from './da.ts';
import { en } from './en.ts';

/**
 * Danish first, English second. The choice is remembered in localStorage (it is not personal
 * data) and set on <html lang> so screen readers pronounce the page correctly.
 */
export type Language = 'da' | 'en';
const STORAGE_KEY = 'voucher-console-language';

void i18next.init({
  lng: storedLanguage(),
  fallbackLng: 'da',
  supportedLngs: ['da', 'en'],
  resources: { da: { translation: da }, en: { translation: en } },
  initAsync: false,
  // Preact escapes text itself.
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = currentLanguage();

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'da';
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // The switch still works for this page.
  }
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The translate function; the calling component re-renders when the language changes. */
export function useT(): Translate {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const rerender = () => setVersion((version) => version + 1);
    i18next.on('languageChanged', rerender);
    return () => i18next.off('languageChanged', rerender);
  }, []);
  return (key, options) => i18next.t(key, options ?? {}) as string;
}

export function useLanguage(): Language {
  useT();
  return currentLanguage();
}

export function hasTranslation(key: string): boolean {
  return i18next.exists(key);
}

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'da';
  } catch {
    return 'da';
  }
}
