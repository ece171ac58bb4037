import { enqueueLetter } from '../app/queues.server.ts';
import { findOwedConfirmation, markConfirmationFailed, markConfirmationSent } from '../app/models/confirmation.server.ts';
import { lettersOwedForSignature } from '../app/models/delivery.server.ts';
import { confirmationUrl } from '../app/models/confirmation.server.ts';
import { removalUrl } from '../app/models/signature-removal.server.ts';
import { campaignUrl } from '../app/utils/public-url.server.ts';
import { signerConfirmation } from '../emails/signer-confirmation.tsx';
import type { QueueHandlers } from './processor.ts';
import { sendEmail } from './send-email.ts';

export const signatureHandlers: QueueHandlers<'signatures'> = {
  /** The email with the link that confirms a signature; one per request (a repeat request owes a new one). */
  async sendConfirmation({ signatureId }, context) {
    const first = await findOwedConfirmation(signatureId);
    if (!first) return 'not owed';
    const requestedAt = first.confirmationRequestedAt.getTime();
    return sendEmail(context, {
      key: `confirm-${signatureId}-${requestedAt}`,
      bounceRef: { kind: 'confirmation', signatureId },
      // A suppressed address (it bounced, or its owner marked Chorus as spam) gets no confirmation.
      suppressible: {
        emailNormalized: (owed) => owed.emailNormalized,
        recordSuppressed: (note) => markConfirmationFailed(signatureId, new Date(), note),
      },
      // Still owed for this request (not confirmed, sent or given up on, and not superseded by a newer one).
      owed: async () => {
        const owed = await findOwedConfirmation(signatureId);
        return owed && owed.confirmationRequestedAt.getTime() === requestedAt ? owed : null;
      },
      compose: (owed) => ({
        to: owed.email,
        ...signerConfirmation({
          fullName: owed.fullName,
          campaignTitle: owed.campaign.title,
          confirmUrl: confirmationUrl(owed.id, owed.confirmationTokenVersion),
          campaignUrl: campaignUrl(owed.campaign.slug),
          removeUrl: removalUrl(owed.id),
        }),
      }),
      recordSent: (sent) => markConfirmationSent(signatureId, sent.acceptedAt),
      recordFailed: (message) => markConfirmationFailed(signatureId, new Date(), message),
    });
  },

  /** A confirmed signature owes one letter to each per-signature addressee; digests are gathered later. */
  async signatureConfirmed({ signatureId }) {
    const addresseeIds = await lettersOwedForSignature(signatureId);
    for (const addresseeId of addresseeIds) await enqueueLetter(addresseeId, signatureId);
    return `${addresseeIds.length} letters queued`;
  },
};
