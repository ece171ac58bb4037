import { randomBytes } from 'node:crypto';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { recordSendRefusal, suppressedNote, suppressionOf } from '../app/models/bounce.server.ts';
import { bounceAddress, type BounceRef } from '../app/utils/bounce-address.server.ts';
import { env } from '../app/utils/env.server.ts';
import { PermanentMailError, sendMail, type OutgoingMail, type SentMail } from '../emails/transport.server.ts';
import type { JobContext } from './processor.ts';

// The one way Chorus sends an email, whatever its kind:
//
//   claim (a lease in Redis, renewed while sending) → look for an acceptance noted earlier →
//   re-check it is still owed (and, for signers, that the address is not suppressed) → render →
//   send from the message's own bounce address → note the acceptance in Redis → record it in PostgreSQL
//
// Every message goes out with an envelope sender (MAIL FROM, Return-Path) that names its kind and
// its recipient's row (app/utils/bounce-address.server.ts), so a bounce or complaint that comes back
// later, and a 5xx refusal met now, are recorded against the right row (app/models/bounce.server.ts).
//
// Recording is not part of the send. Once the SMTP server has accepted a message, no later error
// can make this job (or a retry, or a copy of it) send it again or mark it failed: the acceptance is
// noted in Redis under the email's idempotency key before the database is touched, the database
// write is retried in this process, and every later run looks for the note first and only records
// it. What remains uncovered is written down in the README ("Delivery guarantee").

/** The mail itself; its Message-ID comes from the send's key, its envelope sender from its bounce reference. */
export type ComposedMail = Omit<OutgoingMail, 'messageIdKey' | 'envelopeFrom'>;

export type EmailSend<T> = {
  /** The idempotency key of this one email: names its lease and its note, and makes its Message-ID. */
  key: string;
  /** The message and its recipient's row: made into the envelope sender, and where refusals are recorded. */
  bounceRef: BounceRef;
  /**
   * Mail to signers: the address (normalised) to check against the suppression list, and how a skip
   * is recorded. A suppressed address is not sent to, and the skip is final (not retried).
   */
  suppressible?: { emailNormalized: (owed: T) => string; recordSuppressed: (note: string) => Promise<void> };
  /** Re-checked under the lease: what the email needs, or null when it is no longer owed. */
  owed: () => Promise<T | null>;
  /** Renders the email from what `owed` returned. */
  compose: (owed: T) => ComposedMail | Promise<ComposedMail>;
  /** Records an accepted message. Must be idempotent: it may run more than once for one acceptance. */
  recordSent: (sent: SentMail) => Promise<void>;
  /** Records that the email will not be sent: a permanent (5xx) refusal, or the job's last attempt failed. */
  recordFailed?: (message: string) => Promise<void>;
  /** Notes a temporary failure that will be retried. */
  recordAttempt?: (message: string) => Promise<void>;
};

/** How long an acceptance note is kept: far longer than any retry or reconciler round needs. */
const NOTE_TTL_SECONDS = 7 * 24 * 3600;
/** A copy of a job that finds the email claimed checks again after at most this long. */
const BUSY_RECHECK_MS = 5_000;

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** The database write after an accepted send kept failing; the note in Redis lets the job's retry record it. */
export class AcceptedNotRecordedError extends Error {
  constructor(key: string, cause: unknown) {
    super(`${key} was accepted by the SMTP server but could not be recorded yet (${(cause as Error)?.message ?? cause}); the retry records it without sending`);
    this.name = 'AcceptedNotRecordedError';
  }
}

export function leaseKey(context: Pick<JobContext, 'key'>, key: string) {
  return context.key('send', key, 'lease');
}

export function acceptanceKey(context: Pick<JobContext, 'key'>, key: string) {
  return context.key('send', key, 'accepted');
}

/** Sends one email under the protocol above; returns a short note for the job's result. */
export async function sendEmail<T>(context: JobContext, send: EmailSend<T>): Promise<string> {
  const lease = await claim(context, send.key);
  try {
    // A run before this one may have had the message accepted and failed to record it.
    const noted = await context.redis.get(acceptanceKey(context, send.key));
    if (noted) {
      const sent = parseNote(noted);
      await recordAcceptance(context, send, sent, { alreadyNoted: true });
      return `recorded an earlier acceptance ${sent.messageId}`;
    }

    const owed = await send.owed();
    if (owed === null) return 'not owed';
    if (send.suppressible) {
      const suppression = await suppressionOf(send.suppressible.emailNormalized(owed));
      if (suppression) {
        await send.suppressible.recordSuppressed(suppressedNote(suppression));
        return 'suppressed';
      }
    }
    const mail = await send.compose(owed);

    let sent: SentMail;
    try {
      sent = await sendMail({ ...mail, envelopeFrom: bounceAddress(send.bounceRef), messageIdKey: send.key });
    } catch (error) {
      return await failed(context, send, error);
    }
    await recordAcceptance(context, send, sent, { alreadyNoted: false });
    return sent.messageId;
  } finally {
    await lease.release();
  }
}

/**
 * Takes the email's lease, or, when another run holds it, puts this job back to wait (without using
 * up an attempt) and checks again later: by then the other run has sent and recorded it, or died and
 * its lease has expired. A lease is renewed while its holder works, so it only runs out when the
 * holder is gone, within SEND_LEASE_MS.
 */
async function claim(context: JobContext, key: string) {
  const leaseMs = env().SEND_LEASE_MS;
  const name = leaseKey(context, key);
  const owner = randomBytes(8).toString('hex');
  if ((await context.redis.set(name, owner, 'PX', leaseMs, 'NX')) !== 'OK') {
    const left = await context.redis.pttl(name);
    const wait = Math.min(Math.max(left, 0), BUSY_RECHECK_MS) + 50 + Math.floor(Math.random() * 100);
    await context.job.moveToDelayed(Date.now() + wait, context.token);
    throw new DelayedError();
  }
  const renewal = setInterval(() => {
    context.redis.eval(RENEW, 1, name, owner, String(leaseMs)).then(
      (kept) => {
        if (kept === 0) console.warn(`[send] lost the lease on ${key} (Redis unreachable for longer than ${leaseMs} ms?)`);
      },
      () => {}, // Redis unreachable: the next tick tries again
    );
  }, Math.max(Math.floor(leaseMs / 3), 50));
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      // Only our own lease: it may have expired and been taken by another run.
      await context.redis.eval(RELEASE, 1, name, owner).catch(() => {});
    },
  };
}

/**
 * After acceptance: note it in Redis, then record it in PostgreSQL, retrying both in this process
 * with backoff. Once the note is safe and the database has stayed unreachable for
 * SEND_RECORD_RETRY_MS, the job is handed back to BullMQ; its retry finds the note and only records.
 * Without a note (Redis unreachable too), this process is the only one that knows, so it keeps trying.
 */
async function recordAcceptance<T>(context: JobContext, send: EmailSend<T>, sent: SentMail, { alreadyNoted }: { alreadyNoted: boolean }) {
  const patience = env().SEND_RECORD_RETRY_MS;
  const started = Date.now();
  let noted = alreadyNoted;
  let delay = 100;
  for (;;) {
    if (!noted) {
      noted = await context.redis
        .set(acceptanceKey(context, send.key), JSON.stringify({ messageId: sent.messageId, acceptedAt: sent.acceptedAt.toISOString() }), 'EX', NOTE_TTL_SECONDS)
        .then(() => true, () => false);
    }
    try {
      await send.recordSent(sent);
      return;
    } catch (error) {
      if (noted && Date.now() - started >= patience) throw new AcceptedNotRecordedError(send.key, error);
      console.warn(`[send] ${send.key} accepted as ${sent.messageId}; recording it failed, retrying: ${(error as Error).message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5_000);
  }
}

function parseNote(noted: string): SentMail {
  const { messageId, acceptedAt } = JSON.parse(noted) as { messageId: string; acceptedAt: string };
  return { messageId, acceptedAt: new Date(acceptedAt) };
}

/**
 * The send itself failed (nothing was accepted). A permanent SMTP refusal (5xx) is recorded and not
 * retried; a temporary one is noted and retried with backoff, and recorded as failed on the last attempt.
 */
async function failed<T>(context: JobContext, send: EmailSend<T>, error: unknown): Promise<never> {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof PermanentMailError) {
    // Counted like a bounce report: a hard refusal suppresses a signer's address and counts toward
    // pausing an addressee. Recorded before the failure itself, so a retry after a crash in between
    // still finds the email owed and records both.
    await recordSendRefusal(send.bounceRef, { responseCode: error.responseCode, message });
    await send.recordFailed?.(message);
    throw new UnrecoverableError(message);
  }
  const { job } = context;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (lastAttempt) await send.recordFailed?.(message);
  else await send.recordAttempt?.(message);
  throw error;
}
