import { z } from 'zod';

// One validated view of the configuration, loaded by the web server and the worker alike.
// A missing or malformed value stops start-up with a message naming the variable.
// Read through a computed key: the Remix compiler replaces the literal `process.env.NODE_ENV`
// at build time, and the mode must be the one the process is started with.
const NODE_ENV_KEY = ['NODE', 'ENV'].join('_');
const isProduction = process.env[NODE_ENV_KEY] === 'production';

const devSecret = 'chorus-development-secret-change-me-0123456789';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Chorus <no-reply@chorus.localhost>'),
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
  COUNTER_FLUSH_MS: z.coerce.number().int().min(50).default(2000),
  RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).default(60_000),
  // Work younger than this is left to its own job; the reconciler only picks up what was missed.
  RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
  // First retry delay; each later retry waits twice as long as the one before.
  JOB_BACKOFF_MS: z.coerce.number().int().min(10).default(5_000),
  EMAILS_PER_SECOND: z.coerce.number().int().min(1).default(20),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  // Namespaces BullMQ keys, so several deployments (or test runs) can share one Redis.
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('chorus'),
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
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

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (isProduction && !parsed.data.SMTP_URL) {
    throw new Error('Invalid configuration:\n  SMTP_URL: required in production');
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}
