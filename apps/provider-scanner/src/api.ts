import { i18n, language } from './i18n.ts';

/** An API refusal with its stable code and the message in the person's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string;
}

/** Same-origin JSON call; the API answers errors in the language sent here. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await apiWithStatus<T>(path, options)).data;
}

/** As api(), with the HTTP status of a success (200 done, 202 accepted and still pending). */
export async function apiWithStatus<T>(
  path: string,
  options: RequestOptions = {},
): Promise<{ status: number; data: T }> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language() };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'OFFLINE', i18n.t('common.offline'));
  }
  const payload = (await response.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string } }
    | undefined;
  if (!response.ok) {
    const code = payload?.error?.code ?? `HTTP_${response.status}`;
    throw new ApiError(response.status, code, payload?.error?.message ?? i18n.t('common.offline'));
  }
  return { status: response.status, data: payload as T };
}
