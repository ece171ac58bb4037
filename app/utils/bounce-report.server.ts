import { simpleParser, type ParsedMail } from 'mailparser';

// Reading what comes back to the bounce address: delivery status notifications (RFC 3464,
// multipart/report; report-type=delivery-status, or RFC 6533's global-delivery-status for SMTPUTF8)
// and complaint reports (ARF, RFC 5965: report-type=feedback-report). Anything else (an
// auto-reply, an old server's plain-text bounce) is recognised as neither and left alone.

export type BounceClass = 'HARD' | 'SOFT';

export type DsnRecipient = {
  finalRecipient: string | null;
  action: string;
  status: string | null;
  diagnostic: string | null;
};

export type Report =
  | { type: 'dsn'; recipients: DsnRecipient[] }
  | { type: 'complaint'; feedbackType: string; originalMailFrom: string | null }
  | { type: 'other' };

const DELIVERY_STATUS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const FEEDBACK_REPORT = 'message/feedback-report';

export async function parseReport(source: Buffer | string): Promise<Report> {
  const mail = await simpleParser(source, { keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const reportType = reportTypeOf(mail);
  const parts = mail.attachments ?? [];
  if (reportType === 'delivery-status') {
    const part = parts.find((a) => DELIVERY_STATUS.has(a.contentType.toLowerCase()));
    if (part) return { type: 'dsn', recipients: parseDeliveryStatus(part.content.toString('utf8')) };
  }
  if (reportType === 'feedback-report') {
    const part = parts.find((a) => a.contentType.toLowerCase() === FEEDBACK_REPORT);
    if (part) {
      const [fields] = fieldGroups(part.content.toString('utf8'));
      return {
        type: 'complaint',
        feedbackType: (fields?.get('feedback-type') ?? 'abuse').toLowerCase(),
        originalMailFrom: angleAddress(fields?.get('original-mail-from') ?? null),
      };
    }
  }
  return { type: 'other' };
}

function reportTypeOf(mail: ParsedMail): string | null {
  const header = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (header?.value?.toLowerCase() !== 'multipart/report') return null;
  return header.params?.['report-type']?.toLowerCase() ?? null;
}

/**
 * The field groups of a report body: header-style "Name: value" lines (continuation lines folded in),
 * groups separated by blank lines. For a DSN, the first group is about the message and each later one
 * about one recipient.
 */
export function fieldGroups(body: string): Array<Map<string, string>> {
  const groups: Array<Map<string, string>> = [];
  let current: Map<string, string> | null = null;
  let last: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') {
      current = null;
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && current && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) {
      current = new Map();
      groups.push(current);
    }
    last = line.slice(0, colon).trim().toLowerCase();
    // A repeated field keeps its first value.
    if (!current.has(last)) current.set(last, line.slice(colon + 1).trim());
  }
  return groups;
}

/** The per-recipient groups of an RFC 3464 delivery-status body (those with an Action). */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  return fieldGroups(body)
    .filter((fields) => fields.has('action'))
    .map((fields) => ({
      finalRecipient: typedAddress(fields.get('final-recipient') ?? fields.get('original-recipient') ?? null),
      action: (fields.get('action') ?? '').toLowerCase().split(/[\s(]/)[0],
      status: /^\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0] ?? null,
      diagnostic: fields.get('diagnostic-code')?.replace(/^[A-Za-z-]+;\s*/, '').slice(0, 500) ?? null,
    }));
}

/** "rfc822; someone@example.org" → "someone@example.org" */
function typedAddress(value: string | null): string | null {
  if (!value) return null;
  const semicolon = value.indexOf(';');
  return (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim() || null;
}

function angleAddress(value: string | null): string | null {
  if (!value) return null;
  const inside = /<([^>]*)>/.exec(value)?.[1] ?? value;
  return inside.trim() || null;
}

// Permanent failures that say nothing about the address itself: a full mailbox, a message too large,
// a delivery that timed out, a policy or reputation block (5.7.x: spam filters, DMARC). They are
// recorded as soft, so one blocked message cannot get a working address suppressed.
const NOT_THE_ADDRESS = [/^5\.2\.2$/, /^5\.2\.3$/, /^5\.3\.4$/, /^5\.4\.7$/, /^5\.7\.\d+$/];

/** HARD for a failure that means the address does not work, SOFT for a temporary or unrelated one, null for a success. */
export function classifyDsn(recipient: Pick<DsnRecipient, 'action' | 'status'>): BounceClass | null {
  if (recipient.action === 'delayed') return 'SOFT';
  if (recipient.action !== 'failed') return null;
  return classifyStatus(recipient.status ?? '5.0.0');
}

export function classifyStatus(status: string): BounceClass {
  if (!status.startsWith('5.')) return 'SOFT';
  return NOT_THE_ADDRESS.some((pattern) => pattern.test(status)) ? 'SOFT' : 'HARD';
}

/**
 * A refusal met while sending (an SMTP reply): the enhanced status code when the server gave one
 * ("550 5.1.1 user unknown"), else the reply code. 550, 551 and 553 say the mailbox does not exist
 * or cannot be used; other 5xx codes (552 storage, 554 transaction failed) are not about the address.
 */
export function classifySmtpReply(responseCode: number | undefined, message: string): { kind: BounceClass; status: string | null } {
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(message)?.[1] ?? null;
  if (enhanced) return { kind: classifyStatus(enhanced), status: enhanced };
  if (responseCode && [550, 551, 553].includes(responseCode)) return { kind: 'HARD', status: null };
  return { kind: 'SOFT', status: null };
}
