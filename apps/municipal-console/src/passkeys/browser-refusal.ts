import { ApiError } from '../api/client.ts';

/**
 * The browser refuses a ceremony the person cancelled, let time out, or that no authenticator
 * could do with a DOMException (NotAllowedError and kin): said as one translated code.
 */
export function browserRefusal(caught: unknown): unknown {
  if (caught instanceof ApiError) return caught;
  if (
    caught instanceof Error &&
    /NotAllowed|Abort|InvalidState|NotSupported|Security/.test(
      `${caught.name} ${(caught as { code?: string }).code ?? ''}`,
    )
  ) {
    return new ApiError(0, 'PASSKEY_CANCELLED', '');
  }
  return caught;
}
