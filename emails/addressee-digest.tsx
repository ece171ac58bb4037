import { csvDocument } from './csv.ts';
import { replyLine } from './addressee-letter.tsx';
import { link, list, paragraph, strong } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';
import { signerLine, type SignerForAddressee } from './signer-line.ts';

export type AddresseeDigestData = {
  addresseeName: string;
  addresseeRole: string;
  campaignTitle: string;
  campaignUrl: string;
  demands: string[];
  signers: Array<SignerForAddressee & { confirmedAt: Date }>;
  /** The organisers' address: the addressee's reply goes there (Reply-To). */
  replyTo?: string | null;
};

export type RenderedDigest = RenderedEmail & { csv: string; csvFilename: string };

/** Signers listed in the body (up to a point) and all of them in the CSV attachment. */
const LISTED_IN_BODY = 200;

export function addresseeDigest(data: AddresseeDigestData): RenderedDigest {
  const n = data.signers.length;
  const people = n === 1 ? '1 new signature' : `${n} new signatures`;
  const listed = data.signers.slice(0, LISTED_IN_BODY);
  const more = n - listed.length;
  const mail = renderEmail({
    subject: `${data.campaignTitle}: ${people}`,
    body: [
      paragraph(`To: ${data.addresseeName}, ${data.addresseeRole}`),
      paragraph(strong(people), ' joined the public statement ', strong(data.campaignTitle), ', which asks you:'),
      list(data.demands.map((d) => [d]), true),
      paragraph('Signed by:'),
      list(listed.map((s) => [signerLine(s)])),
      ...(more > 0 ? [paragraph(`…and ${more} more, listed in the attached CSV file.`)] : []),
      paragraph('The statement, its co-signers and the public record of letters delivered to you: ', link(data.campaignUrl)),
    ],
    signature: [['The attached CSV file lists every signature in this letter.'], ...replyLine(data.replyTo)],
    replyTo: data.replyTo ?? undefined,
  });
  const csv = csvDocument(
    ['signer', 'city', 'country', 'confirmed_at'],
    data.signers.map((s) => [s.showName ? s.fullName : 'A signer', s.showName ? s.city : '', s.countryName, s.confirmedAt]),
  );
  return { ...mail, csv, csvFilename: 'signatures.csv' };
}
