import { withoutLinks } from '../app/validation/links.ts';
import { button, link, paragraph, strong } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

export type PartnerVerificationData = {
  partnerName: string;
  kind: 'ORGANISATION' | 'INDIVIDUAL';
  representativeName: string | null;
  campaignTitle: string;
  /** Opens a page with a Confirm button (a POST), so mail scanners following links confirm nothing. */
  verifyUrl: string;
  manageUrl: string;
  /** Came through an organiser's invitation: no approval step after confirming. */
  invited: boolean;
  /**
   * The form was filled in again for a co-signature that is already confirmed (or withdrawn,
   * or declined): the email says so instead of asking for a confirmation.
   */
  alreadyRecorded?: boolean;
};

/** Goes to a contact address nobody has verified yet: typed-in names are stripped of links (no relay for spam). */
export function partnerVerification(data: PartnerVerificationData): RenderedEmail {
  const title = withoutLinks(data.campaignTitle);
  const partnerName = withoutLinks(data.partnerName);
  const greeting = `Dear ${data.representativeName ? withoutLinks(data.representativeName) : partnerName},`;
  const who = data.kind === 'ORGANISATION' ? `${partnerName} was` : 'you were';
  const next = data.invited
    ? 'You were invited by the organisers, so once you confirm, your name appears on the statement.'
    : 'Once you confirm, the organisers review your co-signature before your name appears on the statement.';
  if (data.alreadyRecorded) {
    return renderEmail({
      subject: `Your co-signature: ${title}`,
      body: [
        paragraph(greeting),
        paragraph('Someone, perhaps you, filled in the form to co-sign ', strong(title), ` again as ${partnerName}, with this address.`),
        paragraph('This co-signature is already on record, so nothing was changed.'),
        paragraph('This private link shows the status of your co-signature, your tracking link and the signatures you brought, and lets you withdraw your co-signature:'),
        paragraph(link(data.manageUrl)),
      ],
      signature: [['If it was not you, ignore this email: nothing was changed.']],
    });
  }
  return renderEmail({
    subject: `Please confirm your co-signature: ${title}`,
    body: [
      paragraph(greeting),
      paragraph(`This address was given when ${who} added as a co-signatory of `, strong(title), '. Please confirm it: open this link and press the Confirm button.'),
      button('Confirm the co-signature', data.verifyUrl),
      paragraph(next),
      paragraph(
        'Keep this email. This private link shows the status of your co-signature, your tracking link and the signatures you brought, and lets you withdraw your co-signature at any time:',
      ),
      paragraph(link(data.manageUrl)),
    ],
    signature: [['If you did not ask to co-sign, ignore this email: nothing is published unless the link is confirmed.']],
  });
}
