import { EmailLayout, ButtonWithLink } from './layout.tsx';
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
};

export function partnerVerification(data: PartnerVerificationData): RenderedEmail {
  const subject = `Please confirm your co-signature: ${data.campaignTitle}`;
  const greeting = data.representativeName ? `Dear ${data.representativeName},` : `Dear ${data.partnerName},`;
  const who = data.kind === 'ORGANISATION' ? `${data.partnerName} was` : 'you were';
  const next = data.invited
    ? 'You were invited by the organisers, so once you confirm, your name appears on the statement.'
    : 'Once you confirm, the organisers review your co-signature before your name appears on the statement.';
  const footer = 'If you did not ask to co-sign, ignore this email: nothing is published unless the link is confirmed.';
  const text = [
    greeting,
    '',
    `This address was given when ${who} added as a co-signatory of "${data.campaignTitle}".`,
    'Please confirm it: open this link and press the Confirm button.',
    '',
    data.verifyUrl,
    '',
    next,
    '',
    'Keep this email. This private link shows the status of your co-signature, your tracking link and the',
    'signatures you brought, and lets you withdraw your co-signature at any time:',
    '',
    data.manageUrl,
    '',
    footer,
  ].join('\n');
  const html = (
    <EmailLayout title={subject} footer={<>{footer}</>}>
      <p>{greeting}</p>
      <p>
        This address was given when {who} added as a co-signatory of <strong>{data.campaignTitle}</strong>. Please confirm it.
      </p>
      <ButtonWithLink href={data.verifyUrl}>Confirm the co-signature</ButtonWithLink>
      <p>{next}</p>
      <p>
        Keep this email. <a href={data.manageUrl}>This private link</a> shows the status of your co-signature, your tracking link
        and the signatures you brought, and lets you withdraw your co-signature at any time.
      </p>
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
