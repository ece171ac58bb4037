import { readFileSync } from 'node:fs';
import { z } from 'zod';

// One validated view of the configuration, loaded by the web server and the worker alike.
// A missing or malformed value stops start-up with a message naming the variable.
// Read through a computed key: the Remix compiler replaces the literal `process.env.NODE_ENV`
// at build time, and the mode must be the one the process is started with.
const NODE_ENV_KEY = ['NODE', 'ENV'].join('_');

const devSecret = 'chorus-development-secret-change-me-0123456789';
const DEV_MAIL_FROM = 'Chorus <no-reply@chorus.localhost>';

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'must be a host name such as mail.example.org');

const schemaFor = (isProduction: boolean) => z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  // Connections per process (web and worker each have their own pool).
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  // Required in production (checked below): mail must not go out from a made-up .localhost domain.
  MAIL_FROM: z.string().min(3).optional(),
  // The name this host gives in EHLO; receivers compare it with the sending IP's reverse DNS.
  SMTP_EHLO_NAME: hostname.optional(),
  // DKIM signing by Chorus itself: all of DOMAIN, SELECTOR and one of KEY / KEY_FILE, or none.
  DKIM_DOMAIN: hostname.optional(),
  DKIM_SELECTOR: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/, 'must be a DNS label such as chorus2026').optional(),
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  MAILBOX_DIR: z.string().default('.data/mailbox'),
  HASH_SECRET: isProduction
    ? z.string().min(32, 'must be at least 32 characters')
    : z.string().min(32, 'must be at least 32 characters').default(devSecret),
  SESSION_SECRET: isProduction
    ? z.string().min(32, 'must be at least 32 characters')
    : z.string().min(32, 'must be at least 32 characters').default(devSecret + '-session'),
  // Platform admins (moderation), as a comma-separated list of email addresses.
  ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)),
  // With moderation on, publishing sends a campaign to the admins' review queue first.
  MODERATION: z.enum(['on', 'off']).default('off'),
  SIGNATURE_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  SIGNATURE_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  // New campaigns per organiser account and per IP address per window (each is a draft in the database).
  CAMPAIGN_RATE_LIMIT_ACCOUNT: z.coerce.number().int().min(1).default(10),
  CAMPAIGN_RATE_LIMIT_IP: z.coerce.number().int().min(1).default(20),
  CAMPAIGN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(86_400),
  // Member invitations per organiser account and per IP address per window (each sends an email).
  INVITATION_RATE_LIMIT_ACCOUNT: z.coerce.number().int().min(1).default(50),
  INVITATION_RATE_LIMIT_IP: z.coerce.number().int().min(1).default(100),
  INVITATION_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  COUNTER_FLUSH_MS: z.coerce.number().int().min(50).default(2000),
  RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).default(60_000),
  // Work younger than this is left to its own job; the reconciler only picks up what was missed.
  RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
  // First retry delay; each later retry waits twice as long as the one before.
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
  // An email being sent is claimed with a lease this long, renewed while its worker is alive; a
  // crashed worker's email is taken over within this time.
  SEND_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
  // After the SMTP server accepted an email, how long a worker keeps retrying the database write
  // itself before leaving it to the job's retry (which records the acceptance noted in Redis).
  SEND_RECORD_RETRY_MS: z.coerce.number().int().min(0).default(60_000),
  EMAILS_PER_SECOND: z.coerce.number().int().min(1).default(20),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  // Namespaces BullMQ keys, so several deployments (or test runs) can share one Redis.
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('chorus'),
  // How many reverse proxies in front of the web server to trust for the client's address.
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  // Retention (days), shown to signers on /privacy. See docs/decisions/009-signature-removal.md.
  CONFIRMATION_LINK_DAYS: z.coerce.number().int().min(1).default(30),
  UNCONFIRMED_SIGNATURE_DAYS: z.coerce.number().int().min(1).default(30),
  IP_HASH_DAYS: z.coerce.number().int().min(1).default(90),
  EXPORT_LOG_DAYS: z.coerce.number().int().min(1).default(365),
  // How often the retention job runs.
  RETENTION_EVERY_MS: z.coerce.number().int().min(1000).default(3_600_000),
  // Web processes to fork (one per core is the usual choice).
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  // Bounces: with BOUNCE_DOMAIN set, every message to a signer or addressee goes out with the envelope
  // sender bounces+<signed token>@BOUNCE_DOMAIN, and `npm run bounces` takes in the DSNs and complaints.
  BOUNCE_DOMAIN: z
    .string()
    .regex(/^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, 'must be a domain name, e.g. bounces.example.org')
    .optional(),
  BOUNCE_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  // An addressee is paused after this many hard failures (5xx at send time and bounce reports together).
  ADDRESSEE_HARD_BOUNCE_LIMIT: z.coerce.number().int().min(1).default(3),
});

export type DkimConfig = { domainName: string; keySelector: string; privateKey: string };
export type Env = Omit<z.infer<ReturnType<typeof schemaFor>>, 'MAIL_FROM'> & { MAIL_FROM: string; DKIM?: DkimConfig };

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The configuration from a set of variables, or an error that names every bad one. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const isProduction = source[NODE_ENV_KEY] === 'production';
  const parsed = schemaFor(isProduction).safeParse(source);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const problems: string[] = [];
  const { MAIL_FROM, DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY, DKIM_PRIVATE_KEY_FILE, ...rest } = parsed.data;
  if (isProduction && !rest.SMTP_URL) problems.push('SMTP_URL: required in production');
  if (isProduction && !MAIL_FROM) problems.push('MAIL_FROM: required in production, e.g. "Chorus <campaigns@example.org>"');
  const fromDomain = addressDomain(MAIL_FROM ?? DEV_MAIL_FROM);
  if (MAIL_FROM && !fromDomain) problems.push('MAIL_FROM: must contain an email address, e.g. "Chorus <campaigns@example.org>"');
  if (isProduction && fromDomain && /(^|\.)localhost$/i.test(fromDomain)) {
    problems.push(`MAIL_FROM: ${fromDomain} is not a real domain; receivers would reject or bin the mail`);
  }
  const dkim = dkimFrom({ DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY, DKIM_PRIVATE_KEY_FILE }, problems);
  if (dkim && fromDomain && !aligned(fromDomain, dkim.domainName)) {
    problems.push(`DKIM_DOMAIN: ${dkim.domainName} does not align with MAIL_FROM's domain ${fromDomain} (DMARC needs one to be the other or its parent)`);
  }
  if (problems.length) throw invalid(problems);
  return { ...rest, MAIL_FROM: MAIL_FROM ?? DEV_MAIL_FROM, ...(dkim ? { DKIM: dkim } : {}) };
}

function invalid(lines: string[]): Error {
  return new Error(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}

/** The domain of "Name <user@domain>" or "user@domain", lower-cased; null when there is no address. */
function addressDomain(from: string): string | null {
  const address = from.match(/<([^<>]+)>\s*$/)?.[1] ?? from.trim();
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 ? address.slice(at + 1).toLowerCase() : null;
}

function aligned(fromDomain: string, dkimDomain: string): boolean {
  const a = fromDomain.toLowerCase();
  const b = dkimDomain.toLowerCase();
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

function dkimFrom(
  vars: { DKIM_DOMAIN?: string; DKIM_SELECTOR?: string; DKIM_PRIVATE_KEY?: string; DKIM_PRIVATE_KEY_FILE?: string },
  problems: string[],
): DkimConfig | undefined {
  const { DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY, DKIM_PRIVATE_KEY_FILE } = vars;
  if (!DKIM_DOMAIN && !DKIM_SELECTOR && !DKIM_PRIVATE_KEY && !DKIM_PRIVATE_KEY_FILE) return undefined;
  if (!DKIM_DOMAIN) problems.push('DKIM_DOMAIN: required when DKIM is configured');
  if (!DKIM_SELECTOR) problems.push('DKIM_SELECTOR: required when DKIM is configured');
  if (DKIM_PRIVATE_KEY && DKIM_PRIVATE_KEY_FILE) problems.push('DKIM_PRIVATE_KEY_FILE: give the key or a key file, not both');
  let privateKey = DKIM_PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (!DKIM_PRIVATE_KEY && !DKIM_PRIVATE_KEY_FILE) problems.push('DKIM_PRIVATE_KEY: required when DKIM is configured (or DKIM_PRIVATE_KEY_FILE)');
  if (DKIM_PRIVATE_KEY_FILE && !DKIM_PRIVATE_KEY) {
    try {
      privateKey = readFileSync(DKIM_PRIVATE_KEY_FILE, 'utf8');
    } catch (error) {
      problems.push(`DKIM_PRIVATE_KEY_FILE: cannot read ${DKIM_PRIVATE_KEY_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (privateKey && !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(privateKey)) {
    problems.push('DKIM_PRIVATE_KEY: must be a PEM private key (-----BEGIN PRIVATE KEY-----)');
  }
  if (!DKIM_DOMAIN || !DKIM_SELECTOR || !privateKey) return undefined;
  return { domainName: DKIM_DOMAIN.toLowerCase(), keySelector: DKIM_SELECTOR, privateKey };
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}
