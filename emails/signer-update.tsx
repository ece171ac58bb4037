import { heading, link, markdown, paragraph } from './blocks.ts';
import { listMailPart } from './list-mail.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

export type SignerUpdateData = {
  fullName: string;
  campaignTitle: string;
  campaignSlug: string;
  campaignUrl: string;
  updateId: string;
  updateTitle: string;
  /** The organisers' Markdown; rendered here through the same sanitiser as the campaign page. */
  body: string;
  unsubscribeUrl: string;
  /** The signer's personal removal link (a page whose button POSTs). */
  removeUrl: string;
};

export function signerUpdate(data: SignerUpdateData): RenderedEmail {
  const host = new URL(data.campaignUrl).hostname;
  const list = listMailPart({
    reason: `You receive this email because you signed "${data.campaignTitle}" and asked for updates about it.`,
    unsubscribeLabel: 'Unsubscribe from updates about this campaign',
    unsubscribeUrl: data.unsubscribeUrl,
    list: { name: `${data.campaignTitle}: updates`, id: `${data.campaignSlug}.updates.${host}` },
    feedbackId: { message: data.updateId, campaign: data.campaignSlug, kind: 'update', sender: 'chorus' },
  });
  return renderEmail({
    subject: `${data.updateTitle} — ${data.campaignTitle}`,
    body: [
      paragraph(`An update from the campaign "${data.campaignTitle}":`),
      heading(data.updateTitle),
      paragraph(`Dear ${data.fullName},`),
      markdown(data.body),
      paragraph('The campaign: ', link(data.campaignUrl)),
    ],
    ...list,
    signature: [...list.signature, [link(data.removeUrl, 'Remove my signature and my details')]],
  });
}
