/** One fetch wrapper: JSON in and out, CSRF header on writes, typed errors from `{ error }` bodies. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { fields?: Record<string, string> } & Record<string, unknown>,
  ) {
    super(message);
  }
}

const CSRF_KEY = 'gh_csrf';
export const csrf = {
  get: () => sessionStorage.getItem(CSRF_KEY) ?? '',
  set: (t: string) => sessionStorage.setItem(CSRF_KEY, t),
  clear: () => sessionStorage.removeItem(CSRF_KEY),
};

/** Called when the server says the session is gone (401): the app sends the user to login. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(fn: () => void) { onUnauthenticated = fn; }

/** The worker session's CSRF token (职工账号), kept apart from an officer's. */
export const workerCsrf = {
  get: () => sessionStorage.getItem(`${CSRF_KEY}_worker`) ?? '',
  set: (t: string) => sessionStorage.setItem(`${CSRF_KEY}_worker`, t),
  clear: () => sessionStorage.removeItem(`${CSRF_KEY}_worker`),
};

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = path.startsWith('/api/worker/') ? workerCsrf.get() : csrf.get();
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const err = (data as { error?: { code: string; message: string; details?: ApiError['details'] } } | null)?.error;
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated();
    throw new ApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `请求失败（${res.status}）`, err?.details);
  }
  return data as T;
}

export interface Page<T> { items: T[]; nextCursor: string | null }

/** Query string from defined values only. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
