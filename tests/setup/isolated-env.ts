import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { databaseUrl, dropDatabase, withAdmin } from './database.ts';

// Runs before each test file's imports: the app's modules read this environment when first used.
const id = `${process.pid}_${randomBytes(3).toString('hex')}`;
const name = `chorus_test_${id}`;

await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`));

process.env.DATABASE_URL = databaseUrl(name);
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `test_${id}`;
process.env.HASH_SECRET = 'test-secret-that-is-long-enough-0123456789';
process.env.PUBLIC_URL ??= 'http://localhost:3000';
process.env.MAILBOX_DIR = `.data/test-mailbox/${id}`;
process.env.COUNTER_FLUSH_MS ??= '200';
process.env.RECONCILE_EVERY_MS ??= '1000';

afterAll(async () => {
  const { disconnectDb } = await import('../../app/utils/db.server.ts');
  const { closeQueues } = await import('../../app/queues.server.ts');
  await closeQueues().catch(() => {});
  await disconnectDb().catch(() => {});
  // Clients are cached on globalThis, which outlives one test file in the same worker.
  const g = globalThis as Record<string, unknown>;
  (g.chorusRedis as { disconnect?: () => void } | undefined)?.disconnect?.();
  delete g.chorusDb;
  delete g.chorusRedis;
  delete g.chorusQueues;
  await dropDatabase(name);
  await deleteRedisKeys(`${process.env.QUEUE_PREFIX}:*`);
});

/** Queues, rate limits and leases of this file live under its own prefix; nothing is left behind. */
async function deleteRedisKeys(pattern: string) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
