import { EmailLayout, ButtonWithLink } from './layout.tsx';
import { renderEmail, type RenderedEmail } from './render.ts';

export type PartnerNewLinkData = {
  partnerName: string;
  representativeName: string | null;
  campaignTitle: string;
  /** The new private manage link; every earlier one has stopped working. */
  manageUrl: string;
};

export function partnerNewLink(data: PartnerNewLinkData): RenderedEmail {
  const subject = `A new private link for your co-signature: ${data.campaignTitle}`;
  const greeting = data.representativeName ? `Dear ${data.representativeName},` : `Dear ${data.partnerName},`;
  const footer = 'If you did not expect this email, tell the campaign’s organisers.';
  const text = [
    greeting,
    '',
    `The organisers of "${data.campaignTitle}" have replaced the private link to your co-signature.`,
    'The old link no longer works. This is the new one: it shows the status of your co-signature, your',
    'tracking link and the signatures you brought, and lets you withdraw your co-signature at any time.',
    '',
    data.manageUrl,
    '',
    'Keep it private: anyone with this link sees the names and email addresses of signers who chose to share them with you.',
    '',
    footer,
  ].join('\n');
  const html = (
    <EmailLayout title={subject} footer={<>{footer}</>}>
      <p>{greeting}</p>
      <p>
        The organisers of <strong>{data.campaignTitle}</strong> have replaced the private link to your co-signature. The old link no
        longer works; this is the new one.
      </p>
      <ButtonWithLink href={data.manageUrl}>Manage your co-signature</ButtonWithLink>
      <p>
        Keep it private: anyone with this link sees the names and email addresses of signers who chose to share them with you.
      </p>
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
