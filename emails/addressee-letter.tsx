import { link, list, paragraph, strong, type Inline } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';
import { signerLine, type SignerForAddressee } from './signer-line.ts';

export type AddresseeLetterData = {
  addresseeName: string;
  addresseeRole: string;
  campaignTitle: string;
  campaignSummary: string;
  campaignUrl: string;
  demands: string[];
  signer: SignerForAddressee;
  /** The organisers' address: the addressee's reply goes there (Reply-To). */
  replyTo?: string | null;
};

export function addresseeLetter(data: AddresseeLetterData): RenderedEmail {
  const from = signerLine(data.signer);
  return renderEmail({
    subject: `${data.campaignTitle}: a letter from ${from}`,
    body: [
      paragraph(`To: ${data.addresseeName}, ${data.addresseeRole}`),
      paragraph(strong(from), ' has signed the public statement ', strong(data.campaignTitle), ' and asks you to act on its demands:'),
      list(data.demands.map((d) => [d]), true),
      paragraph(data.campaignSummary),
      paragraph('The statement, its co-signers and the public record of letters delivered to you: ', link(data.campaignUrl)),
    ],
    signature: [['This letter was sent through Chorus on behalf of the signer named above.'], ...replyLine(data.replyTo)],
    replyTo: data.replyTo ?? undefined,
  });
}

/** Said in both parts when replies reach the organisers, so the addressee knows who reads them. */
export function replyLine(replyTo: string | null | undefined): Inline[][] {
  return replyTo ? [[`Replies to this email reach the campaign's organisers (${replyTo}).`]] : [];
}
