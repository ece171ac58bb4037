import { EmailLayout, ButtonWithLink } from './layout.tsx';
import { renderEmail, type RenderedEmail } from './render.ts';

export type SignerConfirmationData = {
  fullName: string;
  campaignTitle: string;
  confirmUrl: string;
  campaignUrl: string;
  /** The signer's personal removal link (a page whose button POSTs). */
  removeUrl: string;
};

export function signerConfirmation(data: SignerConfirmationData): RenderedEmail {
  const subject = `Please confirm your signature: ${data.campaignTitle}`;
  const text = [
    `Dear ${data.fullName},`,
    '',
    `Thank you for signing "${data.campaignTitle}".`,
    'Your signature counts once you confirm it. Open this link and press the Confirm button:',
    '',
    data.confirmUrl,
    '',
    'If you did not sign, ignore this email: nothing will be counted or sent in your name.',
    '',
    `The campaign: ${data.campaignUrl}`,
    '',
    '-- ',
    `To remove your signature and your details, open: ${data.removeUrl}`,
  ].join('\n');
  const html = (
    <EmailLayout
      title={subject}
      footer={
        <>
          If you did not sign, ignore this email: nothing will be counted or sent in your name.{' '}
          <a href={data.removeUrl} style={{ color: '#6b6b66' }}>
            Remove my signature and my details
          </a>
          .
        </>
      }
    >
      <p>Dear {data.fullName},</p>
      <p>
        Thank you for signing <strong>{data.campaignTitle}</strong>. Your signature counts once you confirm it.
      </p>
      <ButtonWithLink href={data.confirmUrl}>Confirm my signature</ButtonWithLink>
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
