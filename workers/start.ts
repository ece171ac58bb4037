import { Worker } from 'bullmq';
import { JOB, QUEUE, closeQueues, queue } from '../app/queues.server.ts';
import { env } from '../app/utils/env.server.ts';
import { createWorkerConnection } from '../app/utils/redis.server.ts';
import { closeTransport } from '../emails/transport.server.ts';
import { deliveriesProcessor } from './deliveries.worker.ts';
import { processEmailJob } from './emails.worker.ts';
import { processMaintenanceJob } from './maintenance.worker.ts';
import { processSignatureJob } from './signatures.worker.ts';

export type RunningWorkers = { workers: Worker[]; close: () => Promise<void> };

const RECOUNT_EVERY_MS = 10 * 60_000;

/** Starts every queue's worker and the periodic jobs (reconcile, counter flush, recount). */
export async function startWorkers(): Promise<RunningWorkers> {
  const config = env();
  const connection = createWorkerConnection();
  const common = { connection, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY };

  const workers = [
    new Worker(QUEUE.signatures, processSignatureJob, common),
    new Worker(QUEUE.deliveries, deliveriesProcessor(connection, config.QUEUE_PREFIX), common),
    // Mass mail (updates) is throttled for the whole queue, so SMTP providers' limits are respected.
    new Worker(QUEUE.emails, processEmailJob, { ...common, limiter: { max: config.EMAILS_PER_SECOND, duration: 1_000 } }),
    // Counters and reconciliation are cheap and must not overlap with themselves.
    new Worker(QUEUE.maintenance, processMaintenanceJob, { ...common, concurrency: 1 }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      if (job) console.warn(`[worker] ${worker.name}/${job.name} ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`);
    });
    worker.on('error', (error) => console.error(`[worker] ${worker.name}: ${error.message}`));
  }

  // Job schedulers are upserted, so every worker copy may declare them without creating duplicates.
  const maintenance = queue(QUEUE.maintenance);
  await maintenance.upsertJobScheduler('reconcile', { every: config.RECONCILE_EVERY_MS }, { name: JOB.reconcile });
  await maintenance.upsertJobScheduler('flush-counts', { every: config.COUNTER_FLUSH_MS }, { name: JOB.flushCounts });
  await maintenance.upsertJobScheduler('recount', { every: RECOUNT_EVERY_MS }, { name: JOB.recount });
  await maintenance.upsertJobScheduler('purge-expired', { every: config.RETENTION_EVERY_MS }, { name: JOB.purgeExpired });

  return {
    workers,
    async close() {
      // Worker.close() waits for jobs in progress to finish; then nothing else holds the connections.
      await Promise.all(workers.map((w) => w.close()));
      await closeQueues();
      closeTransport();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
