import { Queue, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import { env } from './utils/env.server.ts';
import { redis, redisReady } from './utils/redis.server.ts';

// Every queue, job name and payload schema in one place. Payloads carry ids, never personal data.
export const QUEUE = {
  signatures: 'signatures',
  deliveries: 'deliveries',
  emails: 'emails',
  maintenance: 'maintenance',
} as const;

export const JOB = {
  sendConfirmation: 'send-confirmation',
  signatureConfirmed: 'signature-confirmed',
  letter: 'letter',
  digest: 'digest',
  signInLink: 'sign-in-link',
  memberInvited: 'member-invited',
  partnerVerification: 'partner-verification',
  partnerNewLink: 'partner-new-link',
  updateFanOut: 'update-fan-out',
  updateEmail: 'update-email',
  reconcile: 'reconcile',
  flushCounts: 'flush-counts',
  recount: 'recount',
  purgeExpired: 'purge-expired',
} as const;

export const payloads = {
  [JOB.sendConfirmation]: z.object({ signatureId: z.string().min(1) }),
  [JOB.signatureConfirmed]: z.object({ signatureId: z.string().min(1) }),
  [JOB.letter]: z.object({ addresseeId: z.string().min(1), signatureId: z.string().min(1) }),
  [JOB.digest]: z.object({ addresseeId: z.string().min(1) }),
  [JOB.signInLink]: z.object({ loginTokenId: z.string().min(1) }),
  [JOB.memberInvited]: z.object({ memberId: z.string().min(1) }),
  [JOB.partnerVerification]: z.object({ coSignatureId: z.string().min(1) }),
  [JOB.partnerNewLink]: z.object({ coSignatureId: z.string().min(1) }),
  [JOB.updateFanOut]: z.object({ updateId: z.string().min(1) }),
  [JOB.updateEmail]: z.object({ updateId: z.string().min(1), signatureId: z.string().min(1) }),
  [JOB.reconcile]: z.object({}).passthrough(),
  [JOB.flushCounts]: z.object({}).passthrough(),
  [JOB.recount]: z.object({}).passthrough(),
  [JOB.purgeExpired]: z.object({}).passthrough(),
};

export type Payload<N extends keyof typeof payloads> = z.infer<(typeof payloads)[N]>;

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

export function queue(name: (typeof QUEUE)[keyof typeof QUEUE]): Queue {
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

async function add<N extends keyof typeof payloads>(
  queueName: (typeof QUEUE)[keyof typeof QUEUE],
  name: N,
  data: Payload<N>,
  jobId: string,
  options: JobsOptions = {},
) {
  const parsed = payloads[name].parse(data);
  await redisReady();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not accept job ${jobId} in time`)), ENQUEUE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([queue(queueName).add(name, parsed, { ...options, jobId }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Deterministic job ids: adding the same work twice while a job is waiting is a no-op.
// (BullMQ rejects ':' in custom ids, hence '_'.)
export function enqueueConfirmation(signatureId: string, requestedAt: Date) {
  return add(QUEUE.signatures, JOB.sendConfirmation, { signatureId }, `confirm_${signatureId}_${requestedAt.getTime()}`);
}

export function enqueueSignatureConfirmed(signatureId: string) {
  return add(QUEUE.signatures, JOB.signatureConfirmed, { signatureId }, `confirmed_${signatureId}`);
}

export function enqueueLetter(addresseeId: string, signatureId: string, options: { replaceFinished?: boolean } = {}) {
  const jobId = `letter_${addresseeId}_${signatureId}`;
  const enqueue = () => add(QUEUE.deliveries, JOB.letter, { addresseeId, signatureId }, jobId);
  return options.replaceFinished ? replacingFinished(QUEUE.deliveries, jobId, enqueue) : enqueue();
}

export function enqueueDigest(addresseeId: string, dueAt: Date, options: { replaceFinished?: boolean } = {}) {
  const jobId = `digest_${addresseeId}_${dueAt.getTime()}`;
  const enqueue = () => add(QUEUE.deliveries, JOB.digest, { addresseeId }, jobId);
  return options.replaceFinished ? replacingFinished(QUEUE.deliveries, jobId, enqueue) : enqueue();
}

/**
 * For work the database still says is owed: a finished job under the same id (say, one that ran
 * while its addressee was paused) would make BullMQ ignore the new one, so it is removed first.
 */
async function replacingFinished(queueName: (typeof QUEUE)[keyof typeof QUEUE], jobId: string, enqueue: () => Promise<unknown>) {
  const existing = await queue(queueName).getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'completed' || state === 'failed') await existing.remove();
  }
  return enqueue();
}

export function enqueueSignInLink(loginTokenId: string) {
  return add(QUEUE.emails, JOB.signInLink, { loginTokenId }, `signin_${loginTokenId}`);
}

export function enqueueMemberInvited(memberId: string) {
  return add(QUEUE.emails, JOB.memberInvited, { memberId }, `member_${memberId}`);
}

export function enqueuePartnerVerification(coSignatureId: string, requestedAt: Date) {
  return add(QUEUE.emails, JOB.partnerVerification, { coSignatureId }, `partner_${coSignatureId}_${requestedAt.getTime()}`);
}

export function enqueuePartnerNewLink(coSignatureId: string, version: number) {
  return add(QUEUE.emails, JOB.partnerNewLink, { coSignatureId }, `partnerlink_${coSignatureId}_${version}`);
}

export function enqueueUpdateFanOut(updateId: string) {
  return add(QUEUE.emails, JOB.updateFanOut, { updateId }, `update_${updateId}`);
}

export function enqueueUpdateEmail(updateId: string, signatureId: string) {
  return add(QUEUE.emails, JOB.updateEmail, { updateId, signatureId }, `update_${updateId}_${signatureId}`);
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
