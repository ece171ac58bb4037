import { Redis, type RedisOptions } from 'ioredis';
import { env } from './env.server.ts';

/**
 * Connection for the web process: commands fail at once while Redis is unreachable
 * (no offline queue), so a request never waits on Redis; reconnection goes on in the background.
 */
export function createProducerConnection(url = env().REDIS_URL): Redis {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  };
  const connection = new Redis(url, options);
  connection.on('error', (error) => logRedisError(error));
  return connection;
}

/** Connection for BullMQ workers: they block on Redis and must retry for ever (BullMQ requires this). */
export function createWorkerConnection(url = env().REDIS_URL): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 500, 10_000) });
  connection.on('error', (error) => logRedisError(error));
  return connection;
}

let lastLogged = 0;
function logRedisError(error: Error) {
  // An outage produces an error per reconnect attempt; one line a minute is enough.
  if (Date.now() - lastLogged < 60_000) return;
  lastLogged = Date.now();
  console.error(`[redis] ${error.message}`);
}

const globalForRedis = globalThis as unknown as { chorusRedis?: Redis };

/** The web process's shared Redis connection (rate limits, queue producers). */
export function redis(): Redis {
  return (globalForRedis.chorusRedis ??= createProducerConnection());
}

/**
 * Without an offline queue, a command sent while the first connection is still being made fails.
 * Wait briefly for that first connection (one shared wait, however many requests arrive at once);
 * during an outage (reconnecting) fail fast instead.
 */
let firstConnection: Promise<void> | undefined;
export async function redisReady(timeoutMs = 1_000): Promise<Redis> {
  const connection = redis();
  if (connection.status !== 'connecting' && connection.status !== 'wait' && connection.status !== 'connect') return connection;
  firstConnection ??= new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      connection.off('ready', done);
      connection.off('error', done);
      firstConnection = undefined;
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    connection.once('ready', done);
    connection.once('error', done);
  });
  await firstConnection;
  return connection;
}
