import type { ApiError } from '../api.ts';
import { useT } from '../i18n.ts';

/** Why fresh data is missing, in words; nothing when all is well. */
export function LoadProblem({ error, onRetry }: { error: ApiError | undefined; onRetry: () => void }) {
  const t = useT();
  if (!error) return null;
  let message = error.message || t('common.offline');
  if (error.status === 401 || error.code === 'SESSION_ENDED') message = t('common.sessionEnded');
  else if (error.status === 404) message = t('common.notAvailable');
  return (
    <div class="notice" role="status">
      <p>{message}</p>
      {error.status === 0 ? (
        <button type="button" class="secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
