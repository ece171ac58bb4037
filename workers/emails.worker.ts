import { findOwedMemberInvitation, markMemberNotified } from '../app/models/member.server.ts';
import { findOwedPartnerLink, markPartnerLinkSent, partnerLinks } from '../app/models/partner-link.server.ts';
import { partnerNewLink } from '../emails/partner-new-link.tsx';
import { findOwedPartnerVerification, markPartnerVerificationSent } from '../app/models/partner-verification.server.ts';
import { LOGIN_TOKEN_MINUTES, findOwedSignInLink, loginTokenFor, markSignInLinkSent } from '../app/models/user.server.ts';
import { signInUrl } from '../app/utils/public-url.server.ts';
import { memberInvited } from '../emails/member-invited.tsx';
import { organiserSignIn } from '../emails/organiser-sign-in.tsx';
import { partnerVerification } from '../emails/partner-verification.tsx';
import type { QueueHandlers } from './processor.ts';
import { sendEmail } from './send-email.ts';

// Transactional mail to organisers and partners. A failure of these is not recorded beyond the
// job's own: a sign-in link is only useful for minutes, and the reconciler offers an unsent
// invitation or verification again while it is still owed.
export const emailHandlers: QueueHandlers<'emails'> = {
  async signInLink({ loginTokenId }, context) {
    return sendEmail(context, {
      key: `signin-${loginTokenId}`,
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
};
