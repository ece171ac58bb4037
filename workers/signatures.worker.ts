import type { Job } from 'bullmq';
import { JOB, enqueueLetter, payloads } from '../app/queues.server.ts';
import { findOwedConfirmation, markConfirmationFailed, markConfirmationSent } from '../app/models/confirmation.server.ts';
import { lettersOwedForSignature } from '../app/models/delivery.server.ts';
import { confirmationUrl } from '../app/models/confirmation.server.ts';
import { removalUrl } from '../app/models/signature-removal.server.ts';
import { env } from '../app/utils/env.server.ts';
import { signerConfirmation } from '../emails/signer-confirmation.tsx';
import { sendMail } from '../emails/transport.server.ts';
import { handleSendFailure } from './failures.ts';

export async function processSignatureJob(job: Job): Promise<string> {
  switch (job.name) {
    case JOB.sendConfirmation:
      return sendConfirmation(job);
    case JOB.signatureConfirmed:
      return fanOutLetters(job);
    default:
      throw new Error(`Unknown job ${job.name} on the signatures queue`);
  }
}

async function sendConfirmation(job: Job): Promise<string> {
  const { signatureId } = payloads[JOB.sendConfirmation].parse(job.data);
  const owed = await findOwedConfirmation(signatureId);
  if (!owed) return 'not owed';

  const base = env().PUBLIC_URL;
  const mail = signerConfirmation({
    fullName: owed.fullName,
    campaignTitle: owed.campaign.title,
    confirmUrl: confirmationUrl(owed.id, owed.confirmationTokenVersion),
    campaignUrl: `${base}/c/${owed.campaign.slug}`,
    removeUrl: removalUrl(owed.id),
  });
  try {
    const sent = await sendMail({
      to: owed.email,
      ...mail,
      messageIdKey: `confirm-${owed.id}-${owed.confirmationRequestedAt.getTime()}`,
    });
    await markConfirmationSent(owed.id, sent.acceptedAt);
    return sent.messageId;
  } catch (error) {
    return handleSendFailure(job, error, () => markConfirmationFailed(owed.id, new Date()));
  }
}

/** A confirmed signature owes one letter to each per-signature addressee; digests are gathered later. */
async function fanOutLetters(job: Job): Promise<string> {
  const { signatureId } = payloads[JOB.signatureConfirmed].parse(job.data);
  const addresseeIds = await lettersOwedForSignature(signatureId);
  for (const addresseeId of addresseeIds) await enqueueLetter(addresseeId, signatureId);
  return `${addresseeIds.length} letters queued`;
}
