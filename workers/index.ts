import { startWorkers } from './start.ts';
import { disconnectDb } from '../app/utils/db.server.ts';
import { env } from '../app/utils/env.server.ts';
import { redis } from '../app/utils/redis.server.ts';

// The worker process: runs until SIGTERM/SIGINT, then lets jobs in progress finish and closes cleanly.
async function main() {
  const config = env();
  const running = await startWorkers();
  console.log(`[worker] running (queues prefixed "${config.QUEUE_PREFIX}", concurrency ${config.WORKER_CONCURRENCY})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing jobs in progress…`);
    const force = setTimeout(() => {
      console.error('[worker] jobs did not finish within 30 s; exiting (they will be retried)');
      process.exit(1);
    }, 30_000);
    force.unref();
    await running.close();
    await redis().quit().catch(() => {});
    await disconnectDb();
    console.log('[worker] stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(`[worker] could not start: ${error.message}`);
  process.exit(1);
});
