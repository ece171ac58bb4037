import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDatabase, ensureRedis } from '../../scripts/services.ts';

// Needs PostgreSQL on 127.0.0.1:5432 (trust auth for postgres) and Redis on 127.0.0.1:6379, as .ci/run
// provides. Neither is stopped or changed here.

const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

async function redisAnswers(url: string) {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, enableOfflineQueue: false, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const defaultRedisAnswers = await redisAnswers('redis://127.0.0.1:6379');
const redisServerOnPath = (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
  try {
    accessSync(path.join(dir, 'redis-server'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

async function tempDataDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chorus-services-'));
  await chmod(dir, 0o755); // when run as root, PostgreSQL runs as "postgres" and must reach it
  return dir;
}

describe('ensureRedis', () => {
  it('returns REDIS_URL when that Redis answers', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379';
    const redis = await ensureRedis();
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', started: false });
    await redis.stop(); // a no-op: we did not start it
    expect(await redisAnswers('redis://127.0.0.1:6379')).toBe(true);
  });

  it('rejects with a clear message when REDIS_URL does not answer, without starting one', async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:6999';
    await expect(ensureRedis()).rejects.toThrow(
      /^Redis does not answer at redis:\/\/127\.0\.0\.1:6999 \(.*ECONNREFUSED.*\)\. Install it .*apt-get install redis-server.*brew install redis.* or set REDIS_URL to a running Redis\.$/,
    );
  });

  it.runIf(defaultRedisAnswers)('uses the default 127.0.0.1:6379 when REDIS_URL is unset and it answers', async () => {
    delete process.env.REDIS_URL;
    const redis = await ensureRedis();
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', started: false });
  });

  // Only where nothing listens on 6379: we never stop the machine's Redis to get here.
  it.runIf(!defaultRedisAnswers && redisServerOnPath)('starts redis-server when nothing answers', async () => {
    delete process.env.REDIS_URL;
    process.env.EMBEDDED_REDIS_PORT = '6389';
    const dataDir = await tempDataDir();
    try {
      const redis = await ensureRedis({ dataDir });
      expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6389', started: true });
      expect(await redisAnswers(redis.url)).toBe(true);
      await redis.stop();
      expect(await redisAnswers(redis.url)).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('ensureDatabase', () => {
  it('returns DATABASE_URL when that PostgreSQL answers', async () => {
    process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
    const db = await ensureDatabase();
    expect(db).toMatchObject({ url: 'postgresql://postgres@127.0.0.1:5432/postgres', embedded: false });
    await db.stop();
  });

  it('rejects with a clear message when DATABASE_URL does not answer', async () => {
    process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:5999/chorus';
    await expect(ensureDatabase()).rejects.toThrow(
      /^PostgreSQL at 127\.0\.0\.1:5999 does not answer: .*ECONNREFUSED.*\. Start it or unset DATABASE_URL to use an embedded one\.$/,
    );
  });

  it('starts an embedded PostgreSQL when DATABASE_URL is unset, and reuses its data next time', async () => {
    delete process.env.DATABASE_URL;
    process.env.EMBEDDED_PG_PORT = '54329';
    const dataDir = await tempDataDir();
    try {
      for (let run = 0; run < 2; run++) {
        const db = await ensureDatabase({ dataDir });
        try {
          expect(db.embedded).toBe(true);
          expect(db.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:54329\/chorus$/);
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          const { rows } = await client.query('SELECT 1 AS one');
          await client.end();
          expect(rows).toEqual([{ one: 1 }]);
        } finally {
          await db.stop();
        }
      }
      expect((await stat(path.join(dataDir, 'postgres-password'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
