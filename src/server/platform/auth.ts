import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from './audit.js';
import { appError } from './errors.js';
import type { Permission } from './policy.js';
import { isEmptyScope, scopeFor, type RoleHolding, type Scope } from './scope.js';

/** What a route declares about who may call it. Every /api route must declare one. */
export type Access = { public: true } | { authenticated: true } | { permission: Permission };

export interface AuthInfo {
  sessionId: string;
  csrfToken: string;
  user: { id: number; username: string; name: string };
  roles: Array<RoleHolding & { orgId: number; orgName: string }>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    auth: AuthInfo | null;
    /** The data scope of the route's permission (set only on permission routes). */
    scope: Scope | null;
  }
}

export const SESSION_COOKIE = 'gh_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuthPluginOptions {
  /** Resolves a session cookie to the signed-in officer, touching the session; null when unknown or expired. */
  authenticate(token: string): Promise<AuthInfo | null>;
}

/**
 * One hook authenticates the session, checks the CSRF header on unsafe methods, checks the
 * route's permission and puts the resulting data scope on the request. The app refuses to start
 * if an /api route declares no access.
 */
export const authPlugin = fp(async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions) {
  app.decorateRequest('auth', null);
  app.decorateRequest('scope', null);

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
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw appError('NOT_AUTHENTICATED');
    const auth = await opts.authenticate(token);
    if (!auth) throw appError('SESSION_EXPIRED');
    if (UNSAFE.has(req.method) && req.headers['x-csrf-token'] !== auth.csrfToken) {
      throw appError('CSRF_TOKEN_INVALID');
    }
    req.auth = auth;
    if ('permission' in access) {
      const scope = scopeFor(auth.roles, access.permission);
      if (isEmptyScope(scope)) throw appError('FORBIDDEN', { permission: access.permission });
      req.scope = scope;
    }
  });
});

/** The scope the route's permission gave this request (routes with a permission only). */
export function requestScope(req: FastifyRequest): Scope {
  if (!req.scope) throw new Error('route has no permission declared; no scope on request');
  return req.scope;
}

/** Who is acting, for the audit log. */
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

