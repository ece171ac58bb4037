import { removalUrl } from '../app/models/signature-removal.server.ts';
import { UnrecoverableError } from 'bullmq';
import { enqueueUpdateEmail } from '../app/queues.server.ts';
import {
  FAN_OUT_BATCH,
  finishDrainedUpdate,
  isUpdateEmailOwed,
  markUpdateEmailFailed,
  markUpdateEmailSent,
  owedRecipientPage,
  prepareUpdateEmail,
  updateForFanOut,
} from '../app/models/update-delivery.server.ts';
import { unsubscribeUrl } from '../app/models/update.server.ts';
import { campaignUrl } from '../app/utils/public-url.server.ts';
import { signerUpdate } from '../emails/signer-update.tsx';
import type { QueueHandlers } from './processor.ts';
import { sendEmail } from './send-email.ts';

// Updates to signers: mass mail, on a queue of its own that is throttled to EMAILS_PER_SECOND.
export const updateHandlers: QueueHandlers<'updates'> = {
  /**
   * Step one: one `update-email` job per owed recipient. Job ids are deterministic and finished
   * recipients are left out, so running it again (a retry, the reconciler) duplicates nothing; a
   * recipient whose job finished without a record (PostgreSQL was down) is queued again.
   */
  async updateFanOut({ updateId }) {
    const update = await updateForFanOut(updateId);
    if (!update) throw new UnrecoverableError(`Update ${updateId} does not exist`);
    if (update.status !== 'SENDING') return `not sending (${update.status})`;

    let queued = 0;
    let after = '';
    for (;;) {
      const ids = await owedRecipientPage(updateId, after, FAN_OUT_BATCH);
      if (ids.length === 0) break;
      await Promise.all(ids.map((signatureId) => enqueueUpdateEmail(updateId, signatureId, { replaceFinished: true })));
      queued += ids.length;
      after = ids[ids.length - 1];
    }
    // Nobody owed at all while still SENDING: recipients vanished (signatures deleted) after the start.
    if (queued === 0 && (await finishDrainedUpdate(updateId))) return 'nothing owed; marked sent';
    return `${queued} emails queued`;
  },

  /** Step two: one email to one signer, at most once per (update, signature). */
  async updateEmail({ updateId, signatureId }, context) {
    const prepared = await prepareUpdateEmail(updateId, signatureId);
    if (!prepared.send) return prepared.reason;
    const { update, signature, deliveryId } = prepared;

    return sendEmail(context, {
      key: `update-${updateId}-${signatureId}`,
      bounceRef: { kind: 'update', updateDeliveryId: deliveryId },
      // A suppressed address gets no update; the skip finishes its row, so it is not tried again.
      suppressible: {
        emailNormalized: () => signature.emailNormalized,
        recordSuppressed: (note) => markUpdateEmailFailed(deliveryId, updateId, note),
      },
      owed: async () => ((await isUpdateEmailOwed(deliveryId)) ? deliveryId : null),
      // The template brings List-Unsubscribe (RFC 8058 one-click), List-Id and Feedback-ID.
      compose: () => ({
        to: signature.email,
        ...signerUpdate({
          fullName: signature.fullName,
          campaignTitle: update.campaign.title,
          campaignSlug: update.campaign.slug,
          updateId: update.id,
          campaignUrl: campaignUrl(update.campaign.slug),
          updateTitle: update.title,
          body: update.body,
          unsubscribeUrl: unsubscribeUrl(signature.id),
          removeUrl: removalUrl(signature.id),
        }),
      }),
      recordSent: (sent) => markUpdateEmailSent(deliveryId, updateId, sent.messageId, sent.acceptedAt),
      recordFailed: (message) => markUpdateEmailFailed(deliveryId, updateId, message),
    });
  },
};
