import { findOwedMemberInvitation, markMemberNotified } from '../app/models/member.server.ts';
import { findOwedPartnerLink, markPartnerLinkSent, partnerLinks } from '../app/models/partner-link.server.ts';
import { partnerNewLink } from '../emails/partner-new-link.tsx';
import { findOwedPartnerVerification, markPartnerVerificationSent } from '../app/models/partner-verification.server.ts';
import { LOGIN_TOKEN_MINUTES, findOwedSignInLink, loginTokenFor, markSignInLinkSent } from '../app/models/user.server.ts';
import { publicUrl, signInUrl } from '../app/utils/public-url.server.ts';
import { memberInvited } from '../emails/member-invited.tsx';
import { organiserSignIn } from '../emails/organiser-sign-in.tsx';
import { partnerVerification } from '../emails/partner-verification.tsx';
import {
  claimPauseNotice,
  findOwedNotice,
  findOwedPauseNotice,
  markPauseNoticeFailed,
  markPauseNoticeSent,
  markPauseNoticesQueued,
} from '../app/models/pause-notice.server.ts';
import { enqueuePauseNotice } from '../app/queues.server.ts';
import { organiserAddresseePaused } from '../emails/organiser-addressee-paused.tsx';
import type { QueueHandlers } from './processor.ts';
import { sendEmail } from './send-email.ts';

// Transactional mail to organisers and partners. A failure of these is not recorded beyond the
// job's own: a sign-in link is only useful for minutes, and the reconciler offers an unsent
// invitation or verification again while it is still owed.
export const emailHandlers: QueueHandlers<'emails'> = {
  async signInLink({ loginTokenId }, context) {
    return sendEmail(context, {
      key: `signin-${loginTokenId}`,
      bounceRef: { kind: 'signInLink', loginTokenId },
      owed: () => findOwedSignInLink(loginTokenId),
      compose: (owed) => ({
        to: owed.user.email,
        ...organiserSignIn({
          name: owed.user.name,
          signInUrl: signInUrl(loginTokenFor(owed.id)),
          minutes: LOGIN_TOKEN_MINUTES,
        }),
      }),
      recordSent: (sent) => markSignInLinkSent(loginTokenId, sent.acceptedAt),
    });
  },

  async memberInvited({ memberId }, context) {
    return sendEmail(context, {
      key: `member-${memberId}`,
      bounceRef: { kind: 'memberInvitation', memberId },
      owed: () => findOwedMemberInvitation(memberId),
      compose: (owed) => ({
        to: owed.user.email,
        ...memberInvited({
          name: owed.user.name,
          email: owed.user.email,
          campaignTitle: owed.campaign.title,
          role: owed.role,
          signInUrl: signInUrl(),
        }),
      }),
      recordSent: (sent) => markMemberNotified(memberId, sent.acceptedAt),
    });
  },

  /** The email that verifies a co-signature's contact address; guarded by verificationSentAt. */
  async partnerVerification({ coSignatureId, requestedAt }, context) {
    return sendEmail(context, {
      // The first round keeps its original key; each repeat of the form is an email of its own.
      key: requestedAt === undefined ? `partner-${coSignatureId}` : `partner-${coSignatureId}-${requestedAt}`,
      bounceRef: { kind: 'partnerVerification', coSignatureId },
      owed: () => findOwedPartnerVerification(coSignatureId),
      compose: (owed) => {
        const { verifyUrl, manageUrl } = partnerLinks(owed.id, owed.linkVersion);
        return {
          to: owed.partner.contactEmail,
          ...partnerVerification({
            partnerName: owed.partner.name,
            kind: owed.partner.kind,
            representativeName: owed.partner.representativeName,
            campaignTitle: owed.campaign.title,
            verifyUrl,
            manageUrl,
            invited: owed.inviteId !== null,
            alreadyRecorded: owed.alreadyRecorded,
          }),
        };
      },
      recordSent: (sent) => markPartnerVerificationSent(coSignatureId, sent.acceptedAt),
    });
  },

  /** The partner's re-issued private link; guarded by linkSentVersion, so each version is emailed once. */
  async partnerNewLink({ coSignatureId }, context) {
    const owed0 = await findOwedPartnerLink(coSignatureId);
    const version = owed0?.linkVersion ?? 0;
    return sendEmail(context, {
      key: `partnerlink-${coSignatureId}-${version}`,
      bounceRef: { kind: 'partnerLink', coSignatureId },
      owed: async () => {
        const owed = await findOwedPartnerLink(coSignatureId);
        return owed && owed.linkVersion === version ? owed : null;
      },
      compose: (owed) => ({
        to: owed.partner.contactEmail,
        ...partnerNewLink({
          partnerName: owed.partner.name,
          representativeName: owed.partner.representativeName,
          campaignTitle: owed.campaign.title,
          manageUrl: partnerLinks(owed.id, owed.linkVersion).manageUrl,
        }),
      }),
      recordSent: () => markPartnerLinkSent(coSignatureId, version),
    });
  },

  /**
   * Chorus paused an addressee by itself: one notice per owner and editor for this pause. Each gets
   * its row (unique per addressee, pause and person) and its own job, so running this again queues
   * nothing twice and one refused address does not hold up the others.
   */
  async addresseePaused({ addresseeId }) {
    const pause = await findOwedPauseNotice(addresseeId);
    if (!pause) return 'not owed';
    let queued = 0;
    for (const { user } of pause.campaign.members) {
      const notice = await claimPauseNotice(addresseeId, pause.pausedAt, user.id);
      if (notice.sentAt || notice.error) continue;
      await enqueuePauseNotice(notice.id, { replaceFinished: true });
      queued += 1;
    }
    await markPauseNoticesQueued(addresseeId, pause.pausedAt);
    return `${queued} notices queued`;
  },

  /** One owner's or editor's notice of one pause; guarded by its row, so it is sent once. */
  async pauseNotice({ pauseNoticeId }, context) {
    return sendEmail(context, {
      key: `pausenotice-${pauseNoticeId}`,
      bounceRef: { kind: 'pauseNotice', pauseNoticeId },
      owed: () => findOwedNotice(pauseNoticeId),
      compose: (owed) => ({
        to: owed.user.email,
        ...organiserAddresseePaused({
          name: owed.user.name,
          campaignTitle: owed.addressee.campaign.title,
          addresseeName: owed.addressee.name,
          addresseeRole: owed.addressee.role,
          addresseeEmail: owed.addressee.email,
          hardBounces: owed.addressee.hardBounces,
          reason: owed.addressee.pauseReason ?? '',
          pausedAt: owed.pausedAt,
          deliveriesUrl: publicUrl(`/dashboard/c/${owed.addressee.campaign.id}/deliveries`),
          addresseesUrl: publicUrl(`/dashboard/c/${owed.addressee.campaign.id}/addressees`),
        }),
      }),
      recordSent: (sent) => markPauseNoticeSent(pauseNoticeId, sent.messageId, sent.acceptedAt),
      recordFailed: (message) => markPauseNoticeFailed(pauseNoticeId, message),
    });
  },
};
