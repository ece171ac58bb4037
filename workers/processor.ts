import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { jobs, type Jobs, type JobsOn, type PayloadOf, type QueueName } from '../app/jobs/definitions.server.ts';

/** What every handler may use besides its payload: the job itself and the worker's Redis. */
export type JobContext = {
  job: Job;
  /** The worker's lock token for this job (needed to move it to delayed). */
  token?: string;
  redis: Redis;
  /** A Redis key in this deployment's namespace (QUEUE_PREFIX), e.g. key('throttle', id). */
  key: (...parts: string[]) => string;
};

/** What the worker process shares with all of its handlers. */
export type WorkerContext = { redis: Redis; prefix: string };

/** A job's handler: its payload arrives parsed by the job's own schema; it returns a short note for the job's result. */
export type Handler<D extends Jobs[keyof Jobs]> = (payload: PayloadOf<D>, context: JobContext) => Promise<string>;

/** One handler for each job of queue Q, no more and no fewer: a missing handler is a type error. */
export type QueueHandlers<Q extends QueueName> = { [K in JobsOn<Q>]: Handler<Jobs[K]> };

/**
 * The BullMQ processor of queue Q: finds the job's definition by name, parses the payload with its
 * schema and calls its handler. An unknown job or a malformed payload can never succeed, so it is
 * not retried.
 */
export function processorFor<Q extends QueueName>(queueName: Q, handlers: QueueHandlers<Q>, worker: WorkerContext): Processor {
  const byName = new Map<string, { payload: z.ZodType; handler: (payload: unknown, context: JobContext) => Promise<string> }>();
  for (const [key, handler] of Object.entries(handlers) as Array<[keyof Jobs, Handler<never>]>) {
    const definition = jobs[key];
    byName.set(definition.name, { payload: definition.payload, handler: handler as never });
  }
  const key = (...parts: string[]) => [worker.prefix, ...parts].join(':');
  return async (job: Job, token?: string) => {
    const entry = byName.get(job.name);
    if (!entry) throw new UnrecoverableError(`Unknown job ${job.name} on the ${queueName} queue`);
    const parsed = entry.payload.safeParse(job.data ?? {});
    if (!parsed.success) throw new UnrecoverableError(`Malformed ${job.name} payload: ${z.prettifyError(parsed.error)}`);
    return entry.handler(parsed.data, { job, token, redis: worker.redis, key });
  };
}
