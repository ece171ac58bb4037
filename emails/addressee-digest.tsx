import { csvDocument } from './csv.ts';
import { EmailLayout } from './layout.tsx';
import { renderEmail, type RenderedEmail } from './render.ts';
import { signerLine, type SignerForAddressee } from './signer-line.ts';

export type AddresseeDigestData = {
  addresseeName: string;
  addresseeRole: string;
  campaignTitle: string;
  campaignUrl: string;
  demands: string[];
  signers: Array<SignerForAddressee & { confirmedAt: Date }>;
};

export type RenderedDigest = RenderedEmail & { csv: string; csvFilename: string };

/** Signers listed in the body (up to a point) and all of them in the CSV attachment. */
const LISTED_IN_BODY = 200;

export function addresseeDigest(data: AddresseeDigestData): RenderedDigest {
  const n = data.signers.length;
  const people = n === 1 ? '1 new signature' : `${n} new signatures`;
  const subject = `${data.campaignTitle}: ${people}`;
  const listed = data.signers.slice(0, LISTED_IN_BODY);
  const more = n - listed.length;
  const text = [
    `To: ${data.addresseeName}, ${data.addresseeRole}`,
    '',
    `${people} joined the public statement "${data.campaignTitle}", which asks you:`,
    '',
    ...data.demands.map((d, i) => `${i + 1}. ${d}`),
    '',
    'Signed by:',
    ...listed.map((s) => `- ${signerLine(s)}`),
    ...(more > 0 ? [`…and ${more} more, listed in the attached CSV file.`] : []),
    '',
    `The statement and the public record of letters delivered to you: ${data.campaignUrl}`,
  ].join('\n');
  const html = (
    <EmailLayout title={subject} footer={<>The attached CSV file lists every signature in this letter.</>}>
      <p>
        To: {data.addresseeName}, {data.addresseeRole}
      </p>
      <p>
        <strong>{people}</strong> joined the public statement <strong>{data.campaignTitle}</strong>, which asks you:
      </p>
      <ol>
        {data.demands.map((d, i) => (
          <li key={i}>{d}</li>
        ))}
      </ol>
      <p>Signed by:</p>
      <ul>
        {listed.map((s, i) => (
          <li key={i}>{signerLine(s)}</li>
        ))}
      </ul>
      {more > 0 ? <p>…and {more} more, listed in the attached CSV file.</p> : null}
      <p>
        The statement and the public record of letters delivered to you: <a href={data.campaignUrl}>{data.campaignUrl}</a>
      </p>
    </EmailLayout>
  );
  const csv = csvDocument(
    ['signer', 'city', 'country', 'confirmed_at'],
    data.signers.map((s) => [s.showName ? s.fullName : 'A signer', s.showName ? s.city : '', s.countryName, s.confirmedAt]),
  );
  return { ...renderEmail(subject, html, text), csv, csvFilename: 'signatures.csv' };
}
