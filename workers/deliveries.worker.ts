import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB, payloads } from '../app/queues.server.ts';
import {
  isDeliveryPending,
  markDeliveryFailed,
  markDeliverySent,
  noteDeliveryAttempt,
  prepareDigest,
  prepareLetter,
} from '../app/models/delivery.server.ts';
import { env } from '../app/utils/env.server.ts';
import { countryName } from '../app/validation/countries.ts';
import { addresseeDigest } from '../emails/addressee-digest.tsx';
import { addresseeLetter } from '../emails/addressee-letter.tsx';
import { sendMail, type SentMail } from '../emails/transport.server.ts';
import { handleSendFailure } from './failures.ts';
import { withSendLock } from './send-lock.ts';

export function deliveriesProcessor(redis: Redis, prefix: string) {
  return async function processDeliveryJob(job: Job, token?: string): Promise<string> {
    switch (job.name) {
      case JOB.letter:
        return sendLetter(job, token, redis, prefix);
      case JOB.digest:
        return sendDigest(job, redis, prefix);
      default:
        throw new Error(`Unknown job ${job.name} on the deliveries queue`);
    }
  };
}

const HOUR = 3_600_000;

/** Holds a letter back until the next hour when its addressee has had its hourly share. */
async function throttle(job: Job, token: string | undefined, redis: Redis, prefix: string, addresseeId: string, perHour: number) {
  const window = Math.floor(Date.now() / HOUR);
  const key = `${prefix}:throttle:${addresseeId}:${window}`;
  const used = await redis.incr(key);
  if (used === 1) await redis.expire(key, 2 * 3600);
  if (used <= perHour) return;
  await job.moveToDelayed((window + 1) * HOUR + Math.floor(Math.random() * 60_000), token);
  throw new DelayedError();
}

async function sendLetter(job: Job, token: string | undefined, redis: Redis, prefix: string): Promise<string> {
  const { addresseeId, signatureId } = payloads[JOB.letter].parse(job.data);
  const prepared = await prepareLetter(addresseeId, signatureId);
  if (!prepared) return 'nothing to send';
  const { delivery, addressee, signature } = prepared;
  await throttle(job, token, redis, prefix, addressee.id, addressee.lettersPerHour);

  const mail = addresseeLetter({
    addresseeName: addressee.name,
    addresseeRole: addressee.role,
    campaignTitle: addressee.campaign.title,
    campaignSummary: addressee.campaign.summary,
    campaignUrl: `${env().PUBLIC_URL}/c/${addressee.campaign.slug}`,
    demands: addressee.campaign.demands.map((d) => d.text),
    signer: { ...signature, countryName: countryName(signature.country) },
    replyTo: addressee.campaign.replyTo,
  });
  return sendDelivery(job, redis, prefix, delivery.id, () =>
    sendMail({ to: addressee.email, ...mail, messageIdKey: `letter-${delivery.id}` }),
  );
}

async function sendDigest(job: Job, redis: Redis, prefix: string): Promise<string> {
  const { addresseeId } = payloads[JOB.digest].parse(job.data);
  const prepared = await prepareDigest(addresseeId);
  if (!prepared) return 'nothing to send';
  const { delivery, addressee, signatures } = prepared;

  const mail = addresseeDigest({
    addresseeName: addressee.name,
    addresseeRole: addressee.role,
    campaignTitle: addressee.campaign.title,
    campaignUrl: `${env().PUBLIC_URL}/c/${addressee.campaign.slug}`,
    demands: addressee.campaign.demands.map((d) => d.text),
    signers: signatures.map((s) => ({ ...s, countryName: countryName(s.country), confirmedAt: s.confirmedAt ?? new Date(0) })),
    replyTo: addressee.campaign.replyTo,
  });
  return sendDelivery(job, redis, prefix, delivery.id, () =>
    sendMail({
      to: addressee.email,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      replyTo: mail.replyTo,
      messageIdKey: `digest-${delivery.id}`,
      attachments: [{ filename: mail.csvFilename, content: mail.csv, contentType: 'text/csv; charset=utf-8' }],
    }),
  );
}

/** Sends one delivery under its lease and records the outcome: sent, or a failure for handleSendFailure to judge. */
function sendDelivery(job: Job, redis: Redis, prefix: string, deliveryId: string, send: () => Promise<SentMail>): Promise<string> {
  return withSendLock(redis, prefix, deliveryId, async () => {
    // Checked again under the lease: a copy of this job may have sent it a moment ago.
    if (!(await isDeliveryPending(deliveryId))) return 'already sent';
    try {
      const sent = await send();
      await markDeliverySent(deliveryId, sent.messageId, sent.acceptedAt);
      return sent.messageId;
    } catch (error) {
      return handleSendFailure(
        job,
        error,
        (message) => markDeliveryFailed(deliveryId, message),
        (message) => noteDeliveryAttempt(deliveryId, message),
      );
    }
  });
}
