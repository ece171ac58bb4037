import { markdownToText, renderMarkdown } from '../app/utils/markdown.server.ts';
import { EmailLayout } from './layout.tsx';
import { renderEmail, type RenderedEmail } from './render.ts';

export type SignerUpdateData = {
  fullName: string;
  campaignTitle: string;
  campaignUrl: string;
  updateTitle: string;
  /** The organisers' Markdown; rendered here through the same sanitiser as the campaign page. */
  body: string;
  unsubscribeUrl: string;
  /** The signer's personal removal link (a page whose button POSTs). */
  removeUrl: string;
};

export function signerUpdate(data: SignerUpdateData): RenderedEmail {
  const subject = `${data.updateTitle} — ${data.campaignTitle}`;
  const why = `You receive this email because you signed "${data.campaignTitle}" and asked for updates about it.`;
  const text = [
    `Dear ${data.fullName},`,
    '',
    `An update from the campaign "${data.campaignTitle}":`,
    '',
    data.updateTitle,
    '='.repeat(Math.min(60, Array.from(data.updateTitle).length)),
    '',
    markdownToText(data.body),
    '',
    `The campaign: ${data.campaignUrl}`,
    '',
    '--',
    why,
    `To stop receiving updates about this campaign, open: ${data.unsubscribeUrl}`,
    `To remove your signature and your details, open: ${data.removeUrl}`,
  ].join('\n');
  const html = (
    <EmailLayout
      title={subject}
      footer={
        <>
          You receive this email because you signed <strong>{data.campaignTitle}</strong> and asked for updates about it.{' '}
          <a href={data.unsubscribeUrl} style={{ color: '#6b6b66' }}>
            Unsubscribe from updates about this campaign
          </a>
          .{' '}
          <a href={data.removeUrl} style={{ color: '#6b6b66' }}>
            Remove my signature and my details
          </a>
          .
        </>
      }
    >
      <p style={{ fontFamily: 'Arial, sans-serif', fontSize: '13px', color: '#6b6b66', margin: '0 0 8px' }}>
        An update from <a href={data.campaignUrl}>{data.campaignTitle}</a>
      </p>
      <h1 style={{ fontSize: '22px', margin: '0 0 16px' }}>{data.updateTitle}</h1>
      <p>Dear {data.fullName},</p>
      {/* Sanitised by renderMarkdown (app/utils/markdown.server.ts), like the campaign page. */}
      <div dangerouslySetInnerHTML={{ __html: renderMarkdown(data.body) }} />
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
