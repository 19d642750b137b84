import { currentSession, setSession } from '../auth/session.ts';
import { currentLanguage } from '../i18n/index.ts';

/**
 * The one way the console talks to the API (same origin). Every call carries the bearer
 * token and the chosen language; every failure becomes an ApiError with the API's stable
 * code, which the screens translate. Personal data only ever travels in bodies.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The API's own message, already in the requested language: the fallback text. */
    readonly serverMessage: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${status} ${code}`);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function apiJson<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body, 'application/json');
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export async function apiText(method: Method, path: string, accept = 'text/html'): Promise<string> {
  return (await send(method, path, undefined, accept)).text();
}

export interface Download {
  blob: Blob;
  filename: string | undefined;
}

export async function apiDownload(path: string, accept = '*/*'): Promise<Download> {
  const response = await send('GET', path, undefined, accept);
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  return { blob: await response.blob(), filename: filename ? decodeURIComponent(filename) : undefined };
}

/**
 * Posts a file as it is, with the blob's own type (the bank's camt XML as
 * application/xml), and reads the JSON answer: the API hashes the bytes it gets.
 */
export async function apiPostFile<T>(path: string, file: Blob): Promise<T> {
  return (await (await send('POST', path, file, 'application/json')).json()) as T;
}

async function send(method: Method, path: string, body: unknown, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept, 'accept-language': currentLanguage() };
  const session = currentSession();
  if (session) headers.authorization = `Bearer ${session.accessToken}`;
  const file = body instanceof Blob ? body : undefined;
  if (file) headers['content-type'] = file.type;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: file ?? (body === undefined ? undefined : JSON.stringify(body)),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (response.ok) return response;
  const error = await readError(response);
  // An expired or revoked token: forget it so the login screen shows.
  if (response.status === 401 && session && error.code === 'UNAUTHENTICATED') setSession(undefined);
  throw error;
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const payload = (await response.json()) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
    };
    const error = payload.error ?? {};
    return new ApiError(
      response.status,
      error.code ?? 'HTTP_ERROR',
      error.message ?? '',
      error.details ?? {},
    );
  } catch {
    return new ApiError(response.status, 'HTTP_ERROR', '');
  }
}

/** Saves a downloaded file through the browser's normal download flow. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
