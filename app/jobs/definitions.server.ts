import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { env } from '../utils/env.server.ts';

// Every job Chorus runs, declared once: its name, its queue, the zod schema of its payload, how its
// deterministic id is made and any options of its own. Enqueue helpers (app/queues.server.ts) and
// the workers' processors (workers/processor.ts) are derived from these definitions, so a job can
// only be added to its own queue with its own payload, and its handler receives that payload parsed.
// Payloads carry ids, never personal data. Handlers live in workers/<queue>.worker.ts; the web never
// imports them.

export const QUEUE = {
  signatures: 'signatures',
  deliveries: 'deliveries',
  emails: 'emails',
  updates: 'updates',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

type Common<Q extends QueueName, S extends z.ZodType> = {
  /** The BullMQ job name. */
  name: string;
  queue: Q;
  payload: S;
  /** Options for this job only, over the queue's defaults (attempts, backoff, retention). */
  options?: JobsOptions;
};

/** A job the app enqueues. */
export type EnqueuedJob<Q extends QueueName = QueueName, S extends z.ZodType = z.ZodType, A extends unknown[] = never[]> = Common<Q, S> & {
  /**
   * The job id: the same work added twice while a job is waiting is one job. Extra arguments are
   * what tells one round of the same work from the next (say, when a confirmation was requested).
   * BullMQ rejects ':' in custom ids, hence '_'.
   */
  jobId: (payload: z.output<S>, ...extra: A) => string;
};

/** A job run on a schedule (every N ms) by a BullMQ job scheduler, not enqueued by the app. */
export type ScheduledJob<Q extends QueueName = QueueName, S extends z.ZodType = z.ZodType> = Common<Q, S> & { every: () => number };

function defineJob<Q extends QueueName, S extends z.ZodType, A extends unknown[] = []>(definition: EnqueuedJob<Q, S, A>) {
  return definition;
}

function defineScheduledJob<Q extends QueueName, S extends z.ZodType>(definition: ScheduledJob<Q, S>) {
  return definition;
}

const id = z.string().min(1).max(200);
const nothing = z.object({});

export const jobs = {
  // signatures: a new signature's confirmation email; a confirmed signature's letters.
  sendConfirmation: defineJob({
    name: 'send-confirmation',
    queue: QUEUE.signatures,
    payload: z.object({ signatureId: id }),
    jobId: ({ signatureId }, requestedAt: Date) => `confirm_${signatureId}_${requestedAt.getTime()}`,
  }),
  signatureConfirmed: defineJob({
    name: 'signature-confirmed',
    queue: QUEUE.signatures,
    payload: z.object({ signatureId: id }),
    jobId: ({ signatureId }) => `confirmed_${signatureId}`,
  }),

  // deliveries: letters and digests to addressees.
  letter: defineJob({
    name: 'letter',
    queue: QUEUE.deliveries,
    payload: z.object({ addresseeId: id, signatureId: id }),
    jobId: ({ addresseeId, signatureId }) => `letter_${addresseeId}_${signatureId}`,
  }),
  digest: defineJob({
    name: 'digest',
    queue: QUEUE.deliveries,
    payload: z.object({ addresseeId: id }),
    jobId: ({ addresseeId }, dueAt: Date) => `digest_${addresseeId}_${dueAt.getTime()}`,
  }),

  // emails: transactional mail to organisers and partners.
  signInLink: defineJob({
    name: 'sign-in-link',
    queue: QUEUE.emails,
    payload: z.object({ loginTokenId: id }),
    jobId: ({ loginTokenId }) => `signin_${loginTokenId}`,
  }),
  memberInvited: defineJob({
    name: 'member-invited',
    queue: QUEUE.emails,
    payload: z.object({ memberId: id }),
    jobId: ({ memberId }) => `member_${memberId}`,
  }),
  partnerNewLink: defineJob({
    name: 'partner-new-link',
    queue: QUEUE.emails,
    payload: z.object({ coSignatureId: id }),
    jobId: ({ coSignatureId }, version: number) => `partnerlink_${coSignatureId}_${version}`,
  }),
  partnerVerification: defineJob({
    name: 'partner-verification',
    queue: QUEUE.emails,
    // requestedAt: which round of the email (the form, or a repeat of it); absent for the first.
    payload: z.object({ coSignatureId: id, requestedAt: z.number().int().optional() }),
    jobId: ({ coSignatureId }, requestedAt: Date) => `partner_${coSignatureId}_${requestedAt.getTime()}`,
  }),
  // Chorus paused an addressee by itself: a notice to each owner and editor, once per pause
  // (this job makes the notices; each is then a pause-notice job of its own).
  addresseePaused: defineJob({
    name: 'addressee-paused',
    queue: QUEUE.emails,
    payload: z.object({ addresseeId: id }),
    jobId: ({ addresseeId }, pausedAt: Date) => `paused_${addresseeId}_${pausedAt.getTime()}`,
  }),
  pauseNotice: defineJob({
    name: 'pause-notice',
    queue: QUEUE.emails,
    payload: z.object({ pauseNoticeId: id }),
    jobId: ({ pauseNoticeId }) => `pausenotice_${pauseNoticeId}`,
  }),

  // updates: mass mail to signers, throttled on its own queue so it never holds up a sign-in link.
  updateFanOut: defineJob({
    name: 'update-fan-out',
    queue: QUEUE.updates,
    payload: z.object({ updateId: id }),
    jobId: ({ updateId }) => `update_${updateId}`,
  }),
  updateEmail: defineJob({
    name: 'update-email',
    queue: QUEUE.updates,
    payload: z.object({ updateId: id, signatureId: id }),
    jobId: ({ updateId, signatureId }) => `update_${updateId}_${signatureId}`,
  }),

  // maintenance: scheduled, cheap, never overlapping with themselves.
  reconcile: defineScheduledJob({ name: 'reconcile', queue: QUEUE.maintenance, payload: nothing, every: () => env().RECONCILE_EVERY_MS }),
  flushCounts: defineScheduledJob({ name: 'flush-counts', queue: QUEUE.maintenance, payload: nothing, every: () => env().COUNTER_FLUSH_MS }),
  recount: defineScheduledJob({ name: 'recount', queue: QUEUE.maintenance, payload: nothing, every: () => 10 * 60_000 }),
  // Retention (app/models/retention.server.ts): periods from the env module.
  purgeExpired: defineScheduledJob({ name: 'purge-expired', queue: QUEUE.maintenance, payload: nothing, every: () => env().RETENTION_EVERY_MS }),
};

export type Jobs = typeof jobs;
export type JobKey = keyof Jobs;
/** Any one of the definitions above. */
export type AnyJob = Jobs[JobKey];
/** The keys of the jobs that run on queue Q. */
export type JobsOn<Q extends QueueName> = { [K in JobKey]: Jobs[K]['queue'] extends Q ? K : never }[JobKey];
/** The parsed payload a job's handler receives. */
export type PayloadOf<D extends AnyJob> = z.output<D['payload']>;
/** What an enqueue helper passes in. */
export type PayloadInput<D extends AnyJob> = z.input<D['payload']>;
/** The extra arguments of a job's id (beyond its payload). */
export type JobIdExtra<D extends AnyJob> = D extends { jobId: (payload: never, ...extra: infer A) => string } ? A : never;
/** The jobs the app enqueues (all but the scheduled ones). */
export type AnyEnqueuedJob = Extract<AnyJob, { jobId: unknown }>;
