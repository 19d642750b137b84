import { ApiError } from '../api/client.ts';
import { hasTranslation, type Translate } from '../i18n/index.ts';

/**
 * The text a person sees for a failure: the console's own translation of the API's stable
 * code, else the API's message (already in the requested language), else a generic line.
 */
export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    if (hasTranslation(`errors.${error.code}`)) return t(`errors.${error.code}`);
    if (error.serverMessage) return error.serverMessage;
    return t('errors.UNKNOWN', { code: error.code });
  }
  return t('errors.UNKNOWN', { code: error instanceof Error ? error.name : 'ERROR' });
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiError ? error.code : undefined;
}
