import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from './audit.js';
import { appError } from './errors.js';
import { officerCaller, type Caller, type CallerRole } from './caller.js';
import { holdingGrants, roleGrants, ROOT_ONLY, type Permission } from './policy.js';
import { isEmptyScope } from './scope.js';

/** What a route declares about who may call it. Every /api route must declare one. */
export type Access = { public: true } | { authenticated: true } | { permission: Permission } | { worker: true };

/** A signed-in worker (职工账号): their own session, cookie and CSRF token, never an officer's. */
export interface WorkerAuth { sessionId: string; csrfToken: string; workerId: number; personId: number }

export interface AuthInfo {
  sessionId: string;
  csrfToken: string;
  user: { id: number; username: string; name: string };
  roles: CallerRole[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    auth: AuthInfo | null;
    /** The signed-in caller under the route's permission (set on authenticated and permission routes). */
    caller: Caller | null;
    /** The signed-in worker (set on worker routes only). */
    worker: WorkerAuth | null;
  }
}

export const SESSION_COOKIE = 'gh_session';
/** The worker session's cookie: an officer route never reads it, so a worker reaching one is 401. */
export const WORKER_COOKIE = 'gh_worker';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuthPluginOptions {
  /** Resolves a session cookie to the signed-in officer, touching the session; null when unknown or expired. */
  authenticate(token: string): Promise<AuthInfo | null>;
  /** Resolves a worker session cookie, touching the session; null when unknown or expired. */
  authenticateWorker(token: string): Promise<WorkerAuth | null>;
  /** The root union's path: root-only permissions (policy.ts) count only for roles held there. */
  rootPath: string;
}

/**
 * One hook authenticates the session, checks the CSRF header on unsafe methods, checks the
 * route's permission and puts the resulting data scope on the request. The app refuses to start
 * if an /api route declares no access.
 */
export const authPlugin = fp(async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions) {
  app.decorateRequest('auth', null);
  app.decorateRequest('caller', null);
  app.decorateRequest('worker', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const config = (route.config ?? {}) as { access?: Access };
    if (route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') {
      route.config = { ...config, access: { public: true } };
      return;
    }
    if (!config.access) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (permission or public)`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access || 'public' in access) return;
    if ('worker' in access) {
      const wt = req.cookies[WORKER_COOKIE];
      if (!wt) throw appError('NOT_AUTHENTICATED');
      const worker = await opts.authenticateWorker(wt);
      if (!worker) throw appError('SESSION_EXPIRED');
      if (UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== worker.csrfToken) throw appError('CSRF_TOKEN_INVALID');
      req.worker = worker;
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw appError('NOT_AUTHENTICATED');
    const auth = await opts.authenticate(token);
    if (!auth) throw appError('SESSION_EXPIRED');
    if (UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== auth.csrfToken) {
      throw appError('CSRF_TOKEN_INVALID');
    }
    req.auth = auth;
    const permission = 'permission' in access ? access.permission : null;
    const caller = officerCaller(requestActor(req), auth.roles, permission, opts.rootPath);
    if (permission && isEmptyScope(caller.scope)) {
      const rootOnly = ROOT_ONLY[permission];
      // a root-only permission held in another union gets its own answer (字典由根工会管理员维护 …)
      if (rootOnly && auth.roles.some((r) => roleGrants(r.role, permission) && !holdingGrants(r, permission, opts.rootPath))) throw appError(rootOnly);
      throw appError('FORBIDDEN', { permission });
    }
    req.caller = caller;
  });
});

/**
 * The caller of an authenticated or permission route: who, their roles, and the data scope of the
 * route's declared permission. Services take it; routes get it from here and nowhere else.
 */
export function requestCaller(req: FastifyRequest): Caller {
  if (!req.caller) throw new Error('route is public: no caller on request');
  return req.caller;
}

/** The signed-in worker of a worker route. */
export function requestWorker(req: FastifyRequest): WorkerAuth {
  if (!req.worker) throw appError('NOT_AUTHENTICATED');
  return req.worker;
}

/** Who is acting, for the audit log (public routes: the anonymous requester). */
export function requestActor(req: FastifyRequest): Actor {
  return {
    userId: req.auth?.user.id ?? null,
    username: req.auth?.user.username ?? null,
    requestId: req.id,
    ip: req.ip,
  };
}

/** The signed-in officer (routes with authenticated or permission access only). */
export function requestAuth(req: FastifyRequest): AuthInfo {
  if (!req.auth) throw appError('NOT_AUTHENTICATED');
  return req.auth;
}

