import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { env, type Env } from '../app/utils/env.server.ts';
import { addressForSending } from '../app/validation/email.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per idempotency key, so a re-sent message is recognisable as the same one. */
  messageIdKey: string;
  headers?: Record<string, string>;
  /** Where replies go (letters and digests: the campaign's organisers). */
  replyTo?: string;
  /**
   * The envelope sender (SMTP MAIL FROM, which becomes Return-Path): where bounces go. Defaults to
   * MAIL_FROM's address; a per-message address (VERP) lets bounce handling tell which message failed.
   */
  envelopeFrom?: string;
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
};

export type SentMail = { messageId: string; acceptedAt: Date };

/** The receiving server said no for good (a 5xx reply): retrying would not help. */
export class PermanentMailError extends Error {
  constructor(message: string, readonly responseCode?: number) {
    super(message);
    this.name = 'PermanentMailError';
  }
}

// Nodemailer's default list (RFC 6376 §5.4) plus what receivers act on: RFC 8058 requires List-Unsubscribe-Post
// to be signed, and Auto-Submitted and Feedback-ID should not be forgeable in transit.
const SIGNED_HEADERS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'Content-ID', 'Content-Description', 'In-Reply-To', 'References',
  'List-Id', 'List-Help', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Subscribe', 'List-Post', 'List-Owner',
  'List-Archive', 'Auto-Submitted', 'Feedback-ID',
].join(':');

let transport: { config: Env; transporter: Transporter } | undefined;

/**
 * One transport per configuration. Nodemailer signs each message with DKIM after it is built, so every
 * listed header, List-Unsubscribe and List-Unsubscribe-Post included (RFC 8058 §4), is covered.
 * The options go in the first argument: a second argument would only be defaults for each message (so the
 * EHLO name would never reach the SMTP conversation). One connection per message, as before; pooling
 * (`pool: true`) is a separate change with its own shutdown needs.
 */
function smtpTransport(config: Env & { SMTP_URL: string }): Transporter {
  if (transport?.config !== config) {
    transport?.transporter.close();
    const options: Record<string, unknown> = { url: config.SMTP_URL };
    if (config.SMTP_EHLO_NAME) options.name = config.SMTP_EHLO_NAME;
    if (config.DKIM) options.dkim = { ...config.DKIM, headerFieldNames: SIGNED_HEADERS };
    transport = { config, transporter: nodemailer.createTransport(options as never) };
  }
  return transport.transporter;
}

export function messageIdFor(key: string): string {
  const host = new URL(env().PUBLIC_URL).hostname || 'chorus.localhost';
  return `<${key.replace(/[^A-Za-z0-9._-]/g, '.')}@${host}>`;
}

export async function sendMail(mail: OutgoingMail): Promise<SentMail> {
  const config = env();
  const messageId = messageIdFor(mail.messageIdKey);
  const message = {
    from: config.MAIL_FROM,
    to: addressForSending(mail.to),
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    ...(mail.envelopeFrom ? { envelope: { from: mail.envelopeFrom, to: addressForSending(mail.to) } } : {}),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId,
    // Every email Chorus sends is automatic (RFC 3834): auto-responders must not answer it.
    headers: preparedHeaders({ 'Auto-Submitted': 'auto-generated', ...mail.headers }),
    attachments: mail.attachments,
  };
  if (!config.SMTP_URL) {
    await writeToDevMailbox(config.MAILBOX_DIR, { ...message, date: new Date().toISOString() });
    return { messageId, acceptedAt: new Date() };
  }
  try {
    await smtpTransport(config as Env & { SMTP_URL: string }).sendMail(message);
    return { messageId, acceptedAt: new Date() };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (code && code >= 500 && code < 600) {
      throw new PermanentMailError(`SMTP ${code}: ${(error as Error).message}`, code);
    }
    throw error;
  }
}

/**
 * Header values that are already plain ASCII go out as written (folded if long): nodemailer would otherwise
 * turn a quoted List-Id phrase into encoded-words. Anything else is left to nodemailer to encode.
 */
function preparedHeaders(headers: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => {
      const flat = value.replace(/[\r\n]+/g, ' ');
      return [key, /^[\x20-\x7e]*$/.test(flat) ? { prepared: true, foldLines: true, value: flat } : flat];
    }),
  );
}

/** Without SMTP_URL (development), mail is kept as files and shown at /dev/mailbox. */
async function writeToDevMailbox(dir: string, message: object) {
  await mkdir(dir, { recursive: true });
  const id = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  await writeFile(join(dir, `${id}.json`), JSON.stringify({ id, ...message }, null, 2));
}

export function closeTransport() {
  transport?.transporter.close();
  transport = undefined;
}
