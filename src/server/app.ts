import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { BootstrapResult } from './bootstrap.js';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import { authPlugin } from './platform/auth.js';
import { appError } from './platform/errors.js';
import { ajvFormats, badUrl, clientError, publicBaseUrl, registerErrorHandling, securityHeaders } from './platform/http.js';
import { loggerOptions } from './platform/logger.js';
import { accountRoutes } from './modules/accounts/routes.js';
import { createAuthService, createSignInThrottle, createUserService } from './modules/accounts/service.js';
import { auditRoutes } from './modules/audit/routes.js';
import { dictionaryRoutes } from './modules/dictionaries/routes.js';
import { createDictionaryService } from './modules/dictionaries/service.js';
import { healthRoutes } from './modules/health/routes.js';
import { orgRoutes } from './modules/orgs/routes.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { createCalendarService } from './modules/calendar/service.js';
import { hotlineRoutes } from './modules/hotline/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { reviewRoutes } from './modules/reviews/routes.js';
import { publicityRoutes } from './modules/publicity/routes.js';
import { createPublicityService } from './modules/publicity/service.js';
import { createReviewService } from './modules/reviews/service.js';
import { attachmentRoutes } from './modules/attachments/routes.js';
import { createAttachmentService } from './modules/attachments/service.js';
import { workerRoutes } from './modules/worker-accounts/routes.js';
import { createWorkerAccountService } from './modules/worker-accounts/service.js';
import { createFileStore } from './platform/files.js';
import { createJobRunner, createScheduler } from './platform/jobs.js';
import { createSmsSender, type SmsSender } from './platform/sms.js';
import { createNotificationService } from './modules/notifications/service.js';
import { createHotlineService } from './modules/hotline/service.js';
import { fileSealerOf, type PiiCipher } from './platform/crypto.js';
import { createOrgService } from './modules/orgs/service.js';
import { joinRoutes } from './modules/join-applications/routes.js';
import { createJoinService } from './modules/join-applications/service.js';
import { importRoutes } from './modules/member-imports/routes.js';
import { createImportService } from './modules/member-imports/service.js';
import { memberRoutes } from './modules/members/routes.js';
import { createMemberService } from './modules/members/service.js';
import { transferRoutes } from './modules/transfers/routes.js';
import { createTransferService } from './modules/transfers/service.js';

/** One route of the app as registered: method, URL pattern, declared access, hidden from the OpenAPI document. */
export interface RouteEntry { method: string; url: string; access: unknown; hidden: boolean }

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves (for tests). */
    routeTable: RouteEntry[];
  }
}

export interface AppDeps {
  db: Db;
  config: Config;
  /** Path of the root union (for national dictionaries); known after bootstrap. */
  rootPath: string;
  /** The services (built once by the caller, shared with timers). */
  services: Services;
  /** Demo accounts with the published password exist (the console shows a demo banner). */
  demo?: boolean;
  /** false in tests that do not want request logs. */
  logger?: boolean;
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
}

/** The services of every module, over one database; `root` is the bootstrap's root union (its path and level). */
export function buildServices(db: Db, config: Pick<Config, 'sessionIdleMinutes' | 'sessionMaxHours' | 'dataDir'> & Partial<Pick<Config, 'attachmentLimit' | 'sweepSeconds' | 'workerSms' | 'workerSmsUrl'>> & { sms?: SmsSender | null }, root: Pick<BootstrapResult, 'rootPath' | 'rootLevel'>, pii: PiiCipher) {
  const { rootPath, rootLevel } = root;
  const orgs = createOrgService({ db: db.db });
  const dictionaries = createDictionaryService({ db: db.db, rootPath: () => rootPath });
  const calendar = createCalendarService({ db: db.db, rootPath: () => rootPath });
  const members = createMemberService({ db: db.db, pii, orgs, dictionaries, rootLevel });
  const joins = createJoinService({ db: db.db, pii, orgs, dictionaries, members });
  const transfers = createTransferService({ db: db.db, pii, orgs, members });
  // background work: one job table and runner, one schedule of periodic tasks led by one server
  const jobs = createJobRunner({ db: db.db, staleMs: 30_000 });
  const scheduler = createScheduler({ db: db.db });
  const imports = createImportService({ db: db.db, pii, orgs, dictionaries, members, dir: path.join(config.dataDir, 'imports'), jobs });
  const hotline = createHotlineService({ db: db.db, pii, calendar, orgs, dictionaries, members });
  const reviews = createReviewService({ db: db.db, calendar });
  const publicity = createPublicityService({ db: db.db, pii, calendar });
  calendar.registerDeadlines(hotline.deadlines);
  calendar.registerDeadlines(reviews.deadlines);
  const attachments = createAttachmentService({
    db: db.db, store: createFileStore(path.join(config.dataDir, 'files'), fileSealerOf(pii)), maxBytes: config.attachmentLimit ?? 20 * 1024 * 1024,
  });
  attachments.register('hotline_ticket', hotline.attachmentOwner);
  const auth = createAuthService({ db: db.db, sessionIdleMinutes: config.sessionIdleMinutes, sessionMaxHours: config.sessionMaxHours });
  const workers = createWorkerAccountService({
    db: db.db, members, throttle: createSignInThrottle(db.db), sessionIdleMinutes: config.sessionIdleMinutes, sessionMaxHours: config.sessionMaxHours,
    sms: config.sms ?? createSmsSender(config.workerSms ?? 'off', config.workerSmsUrl),
  });
  const sweepMs = (config.sweepSeconds ?? 60) * 1000;
  scheduler.every('hotline.overdue', sweepMs, () => hotline.sweepOverdue());
  scheduler.every('reviews.overdue', sweepMs, () => reviews.sweepOverdue());
  scheduler.every('sessions.purge', 10 * 60_000, () => Promise.all([auth.purgeExpiredSessions(), workers.purgeExpiredSessions()]));
  return {
    jobs,
    scheduler,
    orgs,
    calendar,
    hotline,
    reviews,
    publicity,
    members,
    joins,
    transfers,
    imports,
    auth,
    users: createUserService({ db: db.db, orgs }),
    dictionaries,
    notifications: createNotificationService({ db: db.db }),
    attachments,
    workers,
  };
}
export type Services = ReturnType<typeof buildServices>;

/** The whole HTTP application as one Fastify instance: platform plugins, then one register() per module. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger === false ? false : { ...loggerOptions(config.logLevel), ...(deps.logStream ? { stream: deps.logStream } : {}) },
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true, strictNumbers: true }, plugins: [ajvFormats as never] },
    frameworkErrors: badUrl,
    clientErrorHandler: clientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every route the app serves, as registered (tests read it: access declarations, the OpenAPI
  // document's coverage, later the scope leak table).
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: r.url, access: (r.config as { access?: unknown } | undefined)?.access, hidden: !!(r.schema as { hide?: boolean } | undefined)?.hide });
    }
  });
  app.decorate('routeTable', routeTable);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    for (const [name, value] of securityHeaders(req.url, config.secureCookies)) reply.header(name, value);
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs')) reply.header('cache-control', 'no-store');
  });

  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 5 } });
  await app.register(rateLimit, {
    global: false,
    // Retry-After is the limit's own window left (the plugin's ttl), not a fixed minute
    errorResponseBuilder: (_req, context) => appError('RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Gonghui 工会 API', version: '1.0.0', description: '智慧工会平台公开接口（v1）。错误统一为 { error: { code, message, details } }。' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gh_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const { services } = deps;
  await app.register(authPlugin, {
    authenticate: (token) => services.auth.authenticate(token), authenticateWorker: (token) => services.workers.authenticate(token), rootPath: deps.rootPath,
  });

  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes, { db: deps.db.db, engine: deps.db.engine, demo: deps.demo ?? false });
  await app.register(accountRoutes, { auth: services.auth, users: services.users, secureCookies: config.secureCookies, sessionMaxHours: config.sessionMaxHours, rootPath: deps.rootPath });
  await app.register(orgRoutes, { orgs: services.orgs, memberFigures: (org) => services.members.figures(org) });
  await app.register(dictionaryRoutes, { dictionaries: services.dictionaries });
  await app.register(auditRoutes, { db: deps.db.db });
  await app.register(calendarRoutes, { calendar: services.calendar });
  await app.register(hotlineRoutes, { hotline: services.hotline, attachments: services.attachments });
  await app.register(notificationRoutes, { notifications: services.notifications });
  await app.register(reviewRoutes, { reviews: services.reviews });
  await app.register(publicityRoutes, { publicity: services.publicity });
  await app.register(attachmentRoutes, { attachments: services.attachments });
  await app.register(workerRoutes, {
    workers: services.workers, members: services.members, joins: services.joins, hotline: services.hotline, db: deps.db.db, secureCookies: config.secureCookies, sessionMaxHours: config.sessionMaxHours,
    baseUrl: (req) => publicBaseUrl(config.publicUrl, req),
  });
  await app.register(memberRoutes, { members: services.members, publicUrl: config.publicUrl });
  await app.register(joinRoutes, { joins: services.joins, orgs: services.orgs, publicUrl: config.publicUrl });
  await app.register(transferRoutes, { transfers: services.transfers });
  await app.register(importRoutes, { imports: services.imports, orgs: services.orgs });

  await registerWeb(app, config.webDir);
  return app;
}

/** Serves the built web app (admin shell at /admin, workers' pages at /m) with SPA fallback. */
async function registerWeb(app: FastifyInstance, webDir: string) {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/plain; charset=utf-8').send('Gonghui API is running; the web app is not built (npm run build).'));
    return;
  }
  // Hashed assets never change under their name: cached for a year; index.html is always
  // revalidated, so a release is seen at the next load. Brotli or gzip files made at build time are
  // sent when the browser takes them (preCompressed).
  await app.register(fastifyStatic, {
    root: webDir, prefix: '/', wildcard: false, index: false, preCompressed: true,
    setHeaders: (reply, file) => {
      reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const spa = async (_req: unknown, reply: { header: (k: string, v: string) => unknown; sendFile: (f: string) => unknown }) => {
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  };
  const page = { schema: { hide: true } }; // the web app's pages are not part of the API document
  app.get('/', page, async (_req, reply) => reply.redirect('/admin/'));
  app.get('/admin', page, spa);
  app.get('/admin/*', page, spa);
  app.get('/m', page, spa);
  app.get('/m/*', page, spa);
}
