import { Worker, type WorkerOptions } from 'bullmq';
import { jobs, type QueueName } from '../app/jobs/definitions.server.ts';
import { closeQueues, queue } from '../app/queues.server.ts';
import { env } from '../app/utils/env.server.ts';
import { createWorkerConnection } from '../app/utils/redis.server.ts';
import { closeTransport } from '../emails/transport.server.ts';
import { deliveryHandlers } from './deliveries.worker.ts';
import { emailHandlers } from './emails.worker.ts';
import { maintenanceHandlers } from './maintenance.worker.ts';
import { processorFor, type QueueHandlers, type WorkerContext } from './processor.ts';
import { signatureHandlers } from './signatures.worker.ts';
import { updateHandlers } from './updates.worker.ts';

export type RunningWorkers = { workers: Worker[]; close: () => Promise<void> };

/** Every queue's handlers: a queue without its handlers, or a job without its handler, does not compile. */
const handlers: { [Q in QueueName]: QueueHandlers<Q> } = {
  signatures: signatureHandlers,
  deliveries: deliveryHandlers,
  emails: emailHandlers,
  updates: updateHandlers,
  maintenance: maintenanceHandlers,
};

/**
 * How fast a job whose worker died is given to another worker. BullMQ's defaults (a 30 s job lock,
 * a stalled check every 30 s that needs to see a job twice) left a killed worker's job untouched
 * for 60–90 s. With a 10 s lock (renewed every 5 s while the worker lives) and a check every 5 s,
 * the job is back in the queue within about 15–20 s; the send lease (SEND_LEASE_MS, 30 s) is what
 * then decides when the email is taken over, so the whole recovery takes about 30–35 s.
 * A job may stall a few times (a worker killed again and again) before BullMQ fails it; what is
 * still owed then is re-derived by the reconciler.
 */
export const STALL_RECOVERY = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 } as const satisfies Partial<WorkerOptions>;

/** Starts every queue's worker and the scheduled jobs (reconcile, counter flush, recount). */
export async function startWorkers(): Promise<RunningWorkers> {
  const config = env();
  const connection = createWorkerConnection();
  const context: WorkerContext = { redis: connection, prefix: config.QUEUE_PREFIX };
  const common = { connection, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY, ...STALL_RECOVERY };
  const options: { [Q in QueueName]: WorkerOptions } = {
    signatures: common,
    deliveries: common,
    emails: common,
    // Mass mail is throttled for the whole queue, so SMTP providers' limits are respected.
    updates: { ...common, limiter: { max: config.EMAILS_PER_SECOND, duration: 1_000 } },
    // Counters and reconciliation are cheap and must not overlap with themselves.
    maintenance: { ...common, concurrency: 1 },
  };

  const start = <Q extends QueueName>(name: Q) => new Worker(name, processorFor<Q>(name, handlers[name], context), options[name]);
  const workers = (Object.keys(handlers) as QueueName[]).map(start);
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      if (job) console.warn(`[worker] ${worker.name}/${job.name} ${job.id} failed (attempt ${job.attemptsMade}): ${error.message}`);
    });
    worker.on('error', (error) => console.error(`[worker] ${worker.name}: ${error.message}`));
  }

  // Job schedulers are upserted, so every worker copy may declare them without creating duplicates.
  for (const definition of Object.values(jobs)) {
    if (!('every' in definition)) continue;
    await queue(definition.queue).upsertJobScheduler(definition.name, { every: definition.every() }, { name: definition.name, data: {} });
  }

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
