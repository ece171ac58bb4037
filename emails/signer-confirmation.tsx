import { withoutLinks } from '../app/validation/links.ts';
import { button, link, paragraph, strong } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

export type SignerConfirmationData = {
  fullName: string;
  campaignTitle: string;
  confirmUrl: string;
  campaignUrl: string;
  /** The signer's personal removal link (a page whose button POSTs). */
  removeUrl: string;
};

/** Goes to an address nobody has verified yet: typed-in text is stripped of links (no relay for spam). */
export function signerConfirmation(data: SignerConfirmationData): RenderedEmail {
  const title = withoutLinks(data.campaignTitle);
  return renderEmail({
    subject: `Please confirm your signature: ${title}`,
    body: [
      paragraph(`Dear ${withoutLinks(data.fullName)},`),
      paragraph('Thank you for signing ', strong(title), '. Your signature counts once you confirm it: open this link and press the Confirm button.'),
      button('Confirm my signature', data.confirmUrl),
      paragraph('The campaign: ', link(data.campaignUrl)),
    ],
    signature: [
      ['If you did not sign, ignore this email: nothing will be counted or sent in your name.'],
      [link(data.removeUrl, 'Remove my signature and my details')],
    ],
  });
}
