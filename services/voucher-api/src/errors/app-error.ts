import { type ErrorCode, errorCatalogue } from './catalogue.ts';

/**
 * The one error type domain code throws. The code is stable (clients and tests match on it);
 * the HTTP status and the Danish and English messages come from the catalogue, so every
 * route answers the same way. `details` must never hold personal data.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number | boolean | null> | undefined;

  constructor(code: ErrorCode, details?: Record<string, string | number | boolean | null>) {
    super(errorCatalogue[code].en);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    return errorCatalogue[this.code].status;
  }
}
