import { closeQueues } from '../app/queues.server.ts';
import { disconnectDb } from '../app/utils/db.server.ts';
import { env } from '../app/utils/env.server.ts';
import { redis } from '../app/utils/redis.server.ts';
import { startBounceListener } from './bounce-listener.ts';

// The bounce listener process (`npm run bounces`): receives DSNs and complaints over SMTP until
// SIGTERM/SIGINT, then stops taking connections, lets reports in progress finish and closes. It uses
// Redis only to queue the notice of an automatic pause (the reconciler queues it if Redis is down).
async function main() {
  const config = env();
  const listener = await startBounceListener();
  console.log(`[bounces] listening on ${config.BOUNCE_SMTP_HOST}:${listener.port} for bounces@${config.BOUNCE_DOMAIN}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[bounces] ${signal}: closing…`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await listener.close();
    await closeQueues();
    await redis().quit().catch(() => {});
    await disconnectDb();
    console.log('[bounces] stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(`[bounces] could not start: ${error.message}`);
  process.exit(1);
});
