import { EmailLayout } from './layout.tsx';
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
};

export function addresseeLetter(data: AddresseeLetterData): RenderedEmail {
  const from = signerLine(data.signer);
  const subject = `${data.campaignTitle}: a letter from ${from}`;
  const text = [
    `To: ${data.addresseeName}, ${data.addresseeRole}`,
    '',
    `${from} has signed the public statement "${data.campaignTitle}" and asks you to act on its demands:`,
    '',
    ...data.demands.map((d, i) => `${i + 1}. ${d}`),
    '',
    data.campaignSummary,
    '',
    `The statement, its co-signers and the public record of letters delivered to you: ${data.campaignUrl}`,
  ].join('\n');
  const html = (
    <EmailLayout title={subject} footer={<>This letter was sent through Chorus on behalf of the signer named above.</>}>
      <p>
        To: {data.addresseeName}, {data.addresseeRole}
      </p>
      <p>
        <strong>{from}</strong> has signed the public statement <strong>{data.campaignTitle}</strong> and asks you to
        act on its demands:
      </p>
      <ol>
        {data.demands.map((d, i) => (
          <li key={i}>{d}</li>
        ))}
      </ol>
      <p>{data.campaignSummary}</p>
      <p>
        The statement and the public record of letters delivered to you: <a href={data.campaignUrl}>{data.campaignUrl}</a>
      </p>
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
