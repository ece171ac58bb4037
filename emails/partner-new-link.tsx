import { withoutLinks } from '../app/validation/links.ts';
import { button, paragraph, strong } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

export type PartnerNewLinkData = {
  partnerName: string;
  representativeName: string | null;
  campaignTitle: string;
  /** The new private manage link; every earlier one has stopped working. */
  manageUrl: string;
};

/**
 * The partner's private link, re-issued by an organiser (a leaked link, say). Names were typed by the
 * partner and are stripped of links, as in the verification email.
 */
export function partnerNewLink(data: PartnerNewLinkData): RenderedEmail {
  const title = withoutLinks(data.campaignTitle);
  const name = withoutLinks(data.representativeName ?? data.partnerName);
  return renderEmail({
    subject: `A new private link for your co-signature: ${title}`,
    body: [
      paragraph(`Dear ${name},`),
      paragraph('The organisers of ', strong(title), ' have replaced the private link to your co-signature. The old link no longer works; this is the new one.'),
      button('Manage your co-signature', data.manageUrl),
      paragraph(
        'It shows the status of your co-signature, your tracking link and the signatures you brought, and lets you withdraw at any time. ' +
          'Keep it private: anyone with this link sees the names and email addresses of signers who chose to share them with you.',
      ),
    ],
    signature: [['If you did not expect this email, tell the campaign’s organisers.']],
  });
}
