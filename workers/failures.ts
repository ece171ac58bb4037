import { UnrecoverableError, type Job } from 'bullmq';
import { PermanentMailError } from '../emails/transport.server.ts';

/**
 * Decides what a failed send means for a job: a permanent SMTP refusal or the last attempt is
 * recorded as failed (`onFinal`) and not retried; anything else is noted and retried with backoff.
 */
export async function handleSendFailure(
  job: Job,
  error: unknown,
  onFinal: (message: string) => Promise<void>,
  onRetry: (message: string) => Promise<void> = async () => {},
): Promise<never> {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof PermanentMailError) {
    await onFinal(message);
    throw new UnrecoverableError(message);
  }
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (lastAttempt) await onFinal(message);
  else await onRetry(message);
  throw error;
}
