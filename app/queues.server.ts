import { Queue, type JobsOptions } from 'bullmq';
import { env } from './utils/env.server.ts';
import { redis, redisReady } from './utils/redis.server.ts';
import { QUEUE, jobs, type AnyEnqueuedJob, type AnyJob, type JobIdExtra, type PayloadInput, type QueueName } from './jobs/definitions.server.ts';

// The web side of the queues: connections and typed enqueue helpers, derived from the job
// definitions in app/jobs/definitions.server.ts.
export { QUEUE, jobs };
export type { QueueName };

/** Retries with exponential backoff (5 s, 10 s, 20 s … by default): about 10 minutes in all, never for ever. */
export function defaultJobOptions(): JobsOptions {
  return {
    attempts: 8,
    backoff: { type: 'exponential', delay: env().JOB_BACKOFF_MS },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

const globalForQueues = globalThis as unknown as { chorusQueues?: Map<string, Queue> };

export function queue(name: QueueName): Queue {
  const queues = (globalForQueues.chorusQueues ??= new Map());
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redis(), prefix: env().QUEUE_PREFIX, defaultJobOptions: defaultJobOptions() });
    q.on('error', () => {}); // connection errors are logged once by the connection itself
    queues.set(name, q);
  }
  return q;
}

const ENQUEUE_TIMEOUT_MS = 2_000;

/**
 * Adds one job of a definition to the definition's own queue, its payload checked by the
 * definition's schema. `options.jobId` is required: the same work must not become two jobs.
 */
export async function addJob<D extends AnyJob>(definition: D, payload: PayloadInput<D>, options: JobsOptions & { jobId: string }) {
  const parsed = definition.payload.parse(payload);
  await redisReady();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not accept job ${options.jobId} in time`)), ENQUEUE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([queue(definition.queue).add(definition.name, parsed, { ...definition.options, ...options }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function jobIdOf(definition: AnyEnqueuedJob, payload: unknown, extra: unknown[]): string {
  return (definition.jobId as (p: unknown, ...a: unknown[]) => string)(definition.payload.parse(payload), ...extra);
}

/** Adds a job under its deterministic id: adding the same work twice while a job is waiting is a no-op. */
export function enqueue<D extends AnyEnqueuedJob>(definition: D, payload: PayloadInput<D>, ...extra: JobIdExtra<D>) {
  const jobId = jobIdOf(definition, payload, extra);
  return addJob(definition, payload, { jobId });
}

/**
 * For work the database still says is owed: a finished job under the same id (say, one that ran
 * while its addressee was paused, or one whose retries ran out while PostgreSQL was down) would
 * make BullMQ ignore the new one, so it is removed first.
 */
export async function requeue<D extends AnyEnqueuedJob>(definition: D, payload: PayloadInput<D>, ...extra: JobIdExtra<D>) {
  const jobId = jobIdOf(definition, payload, extra);
  await redisReady();
  const existing = await queue(definition.queue).getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'completed' || state === 'failed') await existing.remove();
  }
  return addJob(definition, payload, { jobId });
}

type Requeue = { replaceFinished?: boolean };
const enqueueOrRequeue = (options: Requeue) => (options.replaceFinished ? requeue : enqueue);

// The helpers models call. Each is the one way to ask for its job.
export function enqueueConfirmation(signatureId: string, requestedAt: Date, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.sendConfirmation, { signatureId }, requestedAt);
}

export function enqueueSignatureConfirmed(signatureId: string) {
  return enqueue(jobs.signatureConfirmed, { signatureId });
}

export function enqueueLetter(addresseeId: string, signatureId: string, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.letter, { addresseeId, signatureId });
}

export function enqueueDigest(addresseeId: string, dueAt: Date, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.digest, { addresseeId }, dueAt);
}

export function enqueueSignInLink(loginTokenId: string, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.signInLink, { loginTokenId });
}

export function enqueueMemberInvited(memberId: string, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.memberInvited, { memberId });
}

export function enqueuePartnerNewLink(coSignatureId: string, version: number, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.partnerNewLink, { coSignatureId }, version);
}

/** `repeat`: a later round of the email (a repeated form), with an idempotency key of its own. */
export function enqueuePartnerVerification(coSignatureId: string, requestedAt: Date, options: Requeue & { repeat?: boolean } = {}) {
  const payload = options.repeat ? { coSignatureId, requestedAt: requestedAt.getTime() } : { coSignatureId };
  return enqueueOrRequeue(options)(jobs.partnerVerification, payload, requestedAt);
}

export function enqueueAddresseePaused(addresseeId: string, pausedAt: Date, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.addresseePaused, { addresseeId }, pausedAt);
}

export function enqueuePauseNotice(pauseNoticeId: string, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.pauseNotice, { pauseNoticeId });
}

export function enqueueUpdateFanOut(updateId: string) {
  return enqueue(jobs.updateFanOut, { updateId });
}

export function enqueueUpdateEmail(updateId: string, signatureId: string, options: Requeue = {}) {
  return enqueueOrRequeue(options)(jobs.updateEmail, { updateId, signatureId });
}

/** Runs an enqueue whose failure must not fail the request: the reconciler re-derives the job later. */
export async function enqueueOrDefer(what: string, enqueue: () => Promise<unknown>): Promise<boolean> {
  try {
    await enqueue();
    return true;
  } catch (error) {
    console.warn(`[queue] ${what} deferred to the reconciler: ${(error as Error).message}`);
    return false;
  }
}

export async function closeQueues() {
  const queues = globalForQueues.chorusQueues;
  if (!queues) return;
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
}
