// Compile-time checks of the job registry, run by `tsc --noEmit` (never executed): each line under an
// expect-error directive must stay a type error, or the type check fails.
import { addJob, enqueue, jobs } from '../../app/queues.server.ts';
import type { QueueHandlers } from '../../workers/processor.ts';

export function enqueueingChecks() {
  enqueue(jobs.letter, { addresseeId: 'a', signatureId: 's' });
  enqueue(jobs.sendConfirmation, { signatureId: 's' }, new Date());
  // @ts-expect-error a letter's payload has no updateId
  enqueue(jobs.letter, { updateId: 'u' });
  // @ts-expect-error a confirmation's id needs the time it was requested
  enqueue(jobs.sendConfirmation, { signatureId: 's' });
  // @ts-expect-error scheduled jobs are not enqueued by the app
  enqueue(jobs.reconcile, {});
  // @ts-expect-error a digest's payload is { addresseeId }
  addJob(jobs.digest, { signatureId: 's' }, { jobId: 'x' });
}

// @ts-expect-error the signatures queue has two jobs; a missing handler does not compile
export const missingHandler: QueueHandlers<'signatures'> = { sendConfirmation: async ({ signatureId }) => signatureId };

export const wrongPayload: QueueHandlers<'signatures'> = {
  sendConfirmation: async ({ signatureId }) => signatureId,
  // @ts-expect-error a handler receives its own job's payload
  signatureConfirmed: async ({ addresseeId }) => addresseeId,
};

export const wrongQueue: QueueHandlers<'emails'> = {
  signInLink: async () => '',
  memberInvited: async () => '',
  partnerVerification: async () => '',
  // @ts-expect-error a letter is not a job of the emails queue
  letter: async () => '',
};
