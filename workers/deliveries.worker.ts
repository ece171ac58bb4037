import { DelayedError } from 'bullmq';
import {
  isDeliveryPending,
  markDeliveryFailed,
  markDeliverySent,
  noteDeliveryAttempt,
  prepareDigest,
  prepareLetter,
} from '../app/models/delivery.server.ts';
import { campaignUrl } from '../app/utils/public-url.server.ts';
import { countryName } from '../app/validation/countries.ts';
import { addresseeDigest } from '../emails/addressee-digest.tsx';
import { addresseeLetter } from '../emails/addressee-letter.tsx';
import type { JobContext, QueueHandlers } from './processor.ts';
import { sendEmail, type ComposedMail } from './send-email.ts';

export const deliveryHandlers: QueueHandlers<'deliveries'> = {
  /** One letter per (addressee, signature): its delivery row, unique per pair, is claimed first. */
  async letter({ addresseeId, signatureId }, context) {
    const prepared = await prepareLetter(addresseeId, signatureId);
    if (!prepared) return 'nothing to send';
    const { delivery, addressee, signature } = prepared;
    await throttle(context, addressee.id, addressee.lettersPerHour);

    return sendDelivery(context, `letter-${delivery.id}`, delivery.id, () => ({
      to: addressee.email,
      ...addresseeLetter({
        addresseeName: addressee.name,
        addresseeRole: addressee.role,
        campaignTitle: addressee.campaign.title,
        campaignSummary: addressee.campaign.summary,
        campaignUrl: campaignUrl(addressee.campaign.slug),
        demands: addressee.campaign.demands.map((d) => d.text),
        signer: { ...signature, countryName: countryName(signature.country) },
        replyTo: addressee.campaign.replyTo,
      }),
    }));
  },

  /** The signatures an addressee has not had yet, in one email with a CSV of the signers. */
  async digest({ addresseeId }, context) {
    const prepared = await prepareDigest(addresseeId);
    if (!prepared) return 'nothing to send';
    const { delivery, addressee, signatures } = prepared;

    return sendDelivery(context, `digest-${delivery.id}`, delivery.id, () => {
      const mail = addresseeDigest({
        addresseeName: addressee.name,
        addresseeRole: addressee.role,
        campaignTitle: addressee.campaign.title,
        campaignUrl: campaignUrl(addressee.campaign.slug),
        demands: addressee.campaign.demands.map((d) => d.text),
        signers: signatures.map((s) => ({ ...s, countryName: countryName(s.country), confirmedAt: s.confirmedAt ?? new Date(0) })),
        replyTo: addressee.campaign.replyTo,
      });
      return {
        to: addressee.email,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        replyTo: mail.replyTo,
        attachments: [{ filename: mail.csvFilename, content: mail.csv, contentType: 'text/csv; charset=utf-8' }],
      };
    });
  },
};

/** A letter or digest: owed while its delivery row is pending; its outcome is recorded on that row. */
function sendDelivery(context: JobContext, key: string, deliveryId: string, compose: () => ComposedMail): Promise<string> {
  return sendEmail(context, {
    key,
    bounceRef: { kind: 'delivery', deliveryId },
    owed: async () => ((await isDeliveryPending(deliveryId)) ? deliveryId : null),
    compose,
    recordSent: (sent) => markDeliverySent(deliveryId, sent.messageId, sent.acceptedAt),
    recordFailed: (message) => markDeliveryFailed(deliveryId, message),
    recordAttempt: (message) => noteDeliveryAttempt(deliveryId, message),
  });
}

const HOUR = 3_600_000;

/** Holds a letter back until the next hour when its addressee has had its hourly share. */
async function throttle({ job, token, redis, key }: JobContext, addresseeId: string, perHour: number) {
  const window = Math.floor(Date.now() / HOUR);
  const counter = key('throttle', addresseeId, String(window));
  const used = await redis.incr(counter);
  if (used === 1) await redis.expire(counter, 2 * 3600);
  if (used <= perHour) return;
  await job.moveToDelayed((window + 1) * HOUR + Math.floor(Math.random() * 60_000), token);
  throw new DelayedError();
}
