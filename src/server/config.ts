import os from 'node:os';
import path from 'node:path';

/** Every setting of the server, read from the environment once at start and validated. */
export interface Config {
  port: number;
  /** Listen address as set by HOST; when unset, 127.0.0.1 while demo accounts exist, else 0.0.0.0. */
  host: string | undefined;
  /** Directory of the embedded database and generated key files. */
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in dataDir is used. */
  databaseUrl: string | undefined;
  /**
   * Connections the server keeps to PostgreSQL. Default: two per CPU core, at least 4. More
   * connections than cores only make PostgreSQL switch between them: on two cores with 32
   * concurrent requests, 4 connections spent ≈25 % less of the database's CPU per request than 20.
   */
  databasePoolSize: number;
  /** Password of the first `admin` account; generated and printed once when absent. */
  adminPassword: string | undefined;
  /**
   * Load demo data (a province with its unions and officers, who share a published password) into
   * a new database. On by default only on the embedded database (the quick start); with
   * DATABASE_URL, only when GONGHUI_DEMO=1 says so.
   */
  demo: boolean;
  /** Root union of this deployment. */
  root: { name: string; level: 'national' | 'province'; regionCode: string | null };
  /** Minutes of inactivity after which a session ends. */
  sessionIdleMinutes: number;
  /** Hours after which a session ends regardless of activity. */
  sessionMaxHours: number;
  /** Serve the built web app from this directory (if it exists). */
  webDir: string;
  logLevel: string;
  /** Set cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean;
  /** Master key of PII encryption (64 hex); when absent a key file in dataDir is generated. */
  piiKey: string | undefined;
  /** Seconds between runs of the hotline overdue sweeper. */
  sweepSeconds: number;
  /** Largest accepted JSON body, bytes. */
  bodyLimit: number;
  /** Largest accepted roster upload, bytes. */
  uploadLimit: number;
  /** Largest accepted attachment (附件), bytes. */
  attachmentLimit: number;
  /** Public address of the site (for QR codes); by default taken from the request's Host. */
  publicUrl: string | undefined;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (Fastify's trustProxy): addresses or
   * CIDR ranges. Empty: the client is the socket's peer. Behind a proxy this must name it, or every
   * client shares the proxy's address (rate limits and the sign-in throttle then count them as one).
   */
  trustProxy: string[];
  /** The SMS one-time code step of the worker pages: off (default), console (development), webhook (WORKER_SMS_URL). */
  workerSms: 'off' | 'console' | 'webhook';
  workerSmsUrl: string | undefined;
}

export class ConfigError extends Error {}

function workerSms(env: NodeJS.ProcessEnv): Pick<Config, 'workerSms' | 'workerSmsUrl'> {
  const mode = env.WORKER_SMS || 'off';
  if (mode !== 'off' && mode !== 'console' && mode !== 'webhook') throw new ConfigError('WORKER_SMS must be off, console or webhook');
  const url = env.WORKER_SMS_URL || undefined;
  if (mode === 'webhook') {
    if (!url) throw new ConfigError('WORKER_SMS=webhook needs WORKER_SMS_URL (the SMS gateway adapter)');
    try { new URL(url); } catch { throw new ConfigError('WORKER_SMS_URL must be a URL'); }
  }
  return { workerSms: mode, workerSmsUrl: url };
}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1/0 or true/false, got "${raw}"`);
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(raw)) throw new ConfigError('PUBLIC_URL must be an http(s) address such as https://gonghui.example.cn');
  return raw.replace(/\/+$/, '');
}

function trustProxy(raw: string | undefined): string[] {
  if (!raw) return [];
  const list = raw.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of list) {
    if (!/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+)(\/\d{1,3})?$/.test(x)) throw new ConfigError(`TRUST_PROXY must list proxy addresses or CIDR ranges, such as 10.0.0.5,10.1.0.0/16; got "${x}"`);
  }
  return list;
}

/** Reads and validates the configuration; throws ConfigError with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const rootLevel = env.GONGHUI_ROOT_LEVEL ?? 'national';
  if (rootLevel !== 'national' && rootLevel !== 'province') {
    throw new ConfigError('GONGHUI_ROOT_LEVEL must be "national" or "province"');
  }
  const adminPassword = env.GONGHUI_ADMIN_PASSWORD || undefined;
  if (env.GONGHUI_PII_KEY && !/^[0-9a-fA-F]{64}$/.test(env.GONGHUI_PII_KEY)) throw new ConfigError('GONGHUI_PII_KEY must be 64 hex characters (32 bytes)');
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || undefined,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', Math.max(4, 2 * os.availableParallelism()), 1, 1000),
    adminPassword,
    demo: bool(env, 'GONGHUI_DEMO', !databaseUrl),
    root: {
      name: env.GONGHUI_ROOT_NAME || (rootLevel === 'national' ? '中华全国总工会' : '省总工会'),
      level: rootLevel,
      regionCode: rootLevel === 'national' ? null : env.GONGHUI_ROOT_REGION || '210000',
    },
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: int(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 30),
    webDir: path.resolve(env.WEB_DIR || 'dist/web'),
    logLevel: env.LOG_LEVEL || 'info',
    secureCookies: bool(env, 'SECURE_COOKIES', false),
    piiKey: env.GONGHUI_PII_KEY || undefined,
    sweepSeconds: int(env, 'SWEEP_SECONDS', 30, 1, 3600),
    bodyLimit: int(env, 'BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    uploadLimit: int(env, 'UPLOAD_LIMIT', 300 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    attachmentLimit: int(env, 'ATTACHMENT_LIMIT', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    publicUrl: publicUrl(env.PUBLIC_URL),
    trustProxy: trustProxy(env.TRUST_PROXY),
    ...workerSms(env),
  };
}
