import { link, type Inline } from './blocks.ts';

// The one shared part of every email sent to a list of signers: the visible unsubscribe footer and the
// headers that go with it. RFC 8058 one-click: mail providers POST `List-Unsubscribe=One-Click` to the URL,
// which is why the DKIM signature must cover both headers (transport.server.ts signs every header).

export type ListMailData = {
  /** Why this person gets the email, in one sentence. */
  reason: string;
  unsubscribeUrl: string;
  unsubscribeLabel: string;
  /** Names the list (RFC 2919), e.g. a campaign's updates: `<slug.updates.host>`. */
  list: { name: string; id: string };
  /** Gmail's feedback loop: complaints are reported per campaign and kind. Fields hold no colons. */
  feedbackId: { campaign: string; kind: string; sender: string; message?: string };
};

export function listMailPart(data: ListMailData): { signature: Inline[][]; headers: Record<string, string> } {
  const fb = data.feedbackId;
  return {
    signature: [[data.reason], [link(data.unsubscribeUrl, data.unsubscribeLabel)]],
    headers: {
      'List-Unsubscribe': `<${data.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${phrase(data.list.name)} <${data.list.id}>`,
      'Feedback-ID': [fb.message ?? '', fb.campaign, fb.kind, fb.sender].map(noColons).join(':'),
    },
  };
}

/**
 * A display name for a header: a quoted string when ASCII, else RFC 2047 encoded-words (each at most 75
 * characters). Either way the value is plain ASCII, so the transport passes it on unchanged.
 */
export function phrase(name: string): string {
  const clean = name.replace(/["\\\r\n]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean}"`;
  const words: string[] = [];
  let chunk = '';
  for (const char of clean) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

function noColons(value: string): string {
  return value.replace(/[:\s]+/g, '-');
}
