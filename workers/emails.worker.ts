import type { Job } from 'bullmq';
import { JOB, payloads } from '../app/queues.server.ts';
import { LOGIN_TOKEN_MINUTES, findOwedSignInLink, loginTokenFor, markSignInLinkSent } from '../app/models/user.server.ts';
import { env } from '../app/utils/env.server.ts';
import { organiserSignIn } from '../emails/organiser-sign-in.tsx';
import { sendMail } from '../emails/transport.server.ts';
import { handleSendFailure } from './failures.ts';
import { fanOutUpdate, sendUpdateEmail } from './updates.ts';
import { findOwedPartnerLink, markPartnerLinkSent, partnerLinks } from '../app/models/partner-link.server.ts';
import { partnerNewLink } from '../emails/partner-new-link.tsx';
import { findOwedPartnerVerification, markPartnerVerificationSent } from '../app/models/partner-verification.server.ts';
import { partnerVerification } from '../emails/partner-verification.tsx';
import { findOwedMemberInvitation, markMemberNotified } from '../app/models/member.server.ts';
import { memberInvited } from '../emails/member-invited.tsx';

// Transactional mail: sign-in links, invitations, partner verification, updates to signers.
export async function processEmailJob(job: Job): Promise<string> {
  switch (job.name) {
    case JOB.signInLink:
      return sendSignInLink(job);
    case JOB.memberInvited:
      return sendMemberInvitation(job);
    case JOB.partnerVerification:
      return sendPartnerVerification(job);
    case JOB.partnerNewLink:
      return sendPartnerNewLink(job);
    case JOB.updateFanOut:
      return fanOutUpdate(job);
    case JOB.updateEmail:
      return sendUpdateEmail(job);
    default:
      throw new Error(`Unknown job ${job.name} on the emails queue`);
  }
}

async function sendSignInLink(job: Job): Promise<string> {
  const { loginTokenId } = payloads[JOB.signInLink].parse(job.data);
  const owed = await findOwedSignInLink(loginTokenId);
  if (!owed) return 'not owed';
  const mail = organiserSignIn({
    name: owed.user.name,
    signInUrl: `${env().PUBLIC_URL}/sign-in/${loginTokenFor(owed.id)}`,
    minutes: LOGIN_TOKEN_MINUTES,
  });
  try {
    const sent = await sendMail({ to: owed.user.email, ...mail, messageIdKey: `signin-${owed.id}` });
    await markSignInLinkSent(owed.id);
    return sent.messageId;
  } catch (error) {
    // A sign-in link is only useful for minutes: no special record beyond the job's own failure.
    return handleSendFailure(job, error, async () => {});
  }
}

async function sendMemberInvitation(job: Job): Promise<string> {
  const { memberId } = payloads[JOB.memberInvited].parse(job.data);
  const owed = await findOwedMemberInvitation(memberId);
  if (!owed) return 'not owed';
  const mail = memberInvited({
    name: owed.user.name,
    email: owed.user.email,
    campaignTitle: owed.campaign.title,
    role: owed.role,
    signInUrl: `${env().PUBLIC_URL}/sign-in`,
  });
  try {
    const sent = await sendMail({ to: owed.user.email, ...mail, messageIdKey: `member-${owed.id}` });
    await markMemberNotified(owed.id);
    return sent.messageId;
  } catch (error) {
    // Nothing else to record: the reconciler stops offering an invitation after a few days.
    return handleSendFailure(job, error, async () => {});
  }
}

/** The email that verifies a co-signature's contact address; guarded by verificationSentAt. */
async function sendPartnerVerification(job: Job): Promise<string> {
  const { coSignatureId } = payloads[JOB.partnerVerification].parse(job.data);
  const owed = await findOwedPartnerVerification(coSignatureId);
  if (!owed) return 'not owed';
  const { verifyUrl, manageUrl } = partnerLinks(owed.id, owed.linkVersion);
  const mail = partnerVerification({
    partnerName: owed.partner.name,
    kind: owed.partner.kind,
    representativeName: owed.partner.representativeName,
    campaignTitle: owed.campaign.title,
    verifyUrl,
    manageUrl,
    invited: owed.inviteId !== null,
  });
  try {
    const sent = await sendMail({ to: owed.partner.contactEmail, ...mail, messageIdKey: `partner-${owed.id}` });
    await markPartnerVerificationSent(owed.id, sent.acceptedAt);
    return sent.messageId;
  } catch (error) {
    // Nothing else to record: while the co-signature is unverified the reconciler offers it again later.
    return handleSendFailure(job, error, async () => {});
  }
}

/** The partner's re-issued private link; guarded by linkSentVersion, so each version is emailed once. */
async function sendPartnerNewLink(job: Job): Promise<string> {
  const { coSignatureId } = payloads[JOB.partnerNewLink].parse(job.data);
  const owed = await findOwedPartnerLink(coSignatureId);
  if (!owed) return 'not owed';
  const mail = partnerNewLink({
    partnerName: owed.partner.name,
    representativeName: owed.partner.representativeName,
    campaignTitle: owed.campaign.title,
    manageUrl: partnerLinks(owed.id, owed.linkVersion).manageUrl,
  });
  try {
    const sent = await sendMail({ to: owed.partner.contactEmail, ...mail, messageIdKey: `partnerlink-${owed.id}-${owed.linkVersion}` });
    await markPartnerLinkSent(owed.id, owed.linkVersion);
    return sent.messageId;
  } catch (error) {
    // Nothing else to record: the reconciler offers the link again while it is owed.
    return handleSendFailure(job, error, async () => {});
  }
}
