import { UnrecoverableError, type Job } from 'bullmq';
import { JOB, enqueueUpdateEmail, payloads } from '../app/queues.server.ts';
import {
  FAN_OUT_BATCH,
  finishDrainedUpdate,
  markUpdateEmailFailed,
  markUpdateEmailSent,
  owedRecipientPage,
  prepareUpdateEmail,
  updateForFanOut,
} from '../app/models/update-delivery.server.ts';
import { unsubscribeUrl } from '../app/models/update.server.ts';
import { env } from '../app/utils/env.server.ts';
import { signerUpdate } from '../emails/signer-update.tsx';
import { sendMail } from '../emails/transport.server.ts';
import { handleSendFailure } from './failures.ts';

/**
 * Step one of an update: one `update-email` job per owed recipient. Job ids are deterministic and
 * finished recipients are left out, so running it again (a retry, the reconciler) duplicates nothing.
 */
export async function fanOutUpdate(job: Job): Promise<string> {
  const { updateId } = payloads[JOB.updateFanOut].parse(job.data);
  const update = await updateForFanOut(updateId);
  if (!update) throw new UnrecoverableError(`Update ${updateId} does not exist`);
  if (update.status !== 'SENDING') return `not sending (${update.status})`;

  let queued = 0;
  let after = '';
  for (;;) {
    const ids = await owedRecipientPage(updateId, after, FAN_OUT_BATCH);
    if (ids.length === 0) break;
    await Promise.all(ids.map((signatureId) => enqueueUpdateEmail(updateId, signatureId)));
    queued += ids.length;
    after = ids[ids.length - 1];
  }
  // Nobody owed at all while still SENDING: recipients vanished (signatures deleted) after the start.
  if (queued === 0 && (await finishDrainedUpdate(updateId))) return 'nothing owed; marked sent';
  return `${queued} emails queued`;
}

/** Step two: one email to one signer, at most once per (update, signature). */
export async function sendUpdateEmail(job: Job): Promise<string> {
  const { updateId, signatureId } = payloads[JOB.updateEmail].parse(job.data);
  const prepared = await prepareUpdateEmail(updateId, signatureId);
  if (!prepared.send) return prepared.reason;

  const { update, signature, deliveryId } = prepared;
  const unsubscribe = unsubscribeUrl(signature.id);
  const mail = signerUpdate({
    fullName: signature.fullName,
    campaignTitle: update.campaign.title,
    campaignSlug: update.campaign.slug,
    updateId: update.id,
    campaignUrl: `${env().PUBLIC_URL}/c/${update.campaign.slug}`,
    updateTitle: update.title,
    body: update.body,
    unsubscribeUrl: unsubscribe,
  });
  let sent;
  try {
    sent = await sendMail({
      to: signature.email,
      ...mail,
      // The template brings List-Unsubscribe (RFC 8058 one-click), List-Id and Feedback-ID.
      messageIdKey: `update-${update.id}-${signature.id}`,
    });
  } catch (error) {
    return handleSendFailure(job, error, (message) => markUpdateEmailFailed(deliveryId, updateId, message));
  }
  // Outside the try: a database error here is not a failed send. Its retry finds the row unfinished
  // and sends again, with the same Message-ID; that is the one case where a signer may get two.
  await markUpdateEmailSent(deliveryId, updateId, sent.messageId, sent.acceptedAt);
  return sent.messageId;
}
