import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { env } from '../app/utils/env.server.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per idempotency key, so a re-sent message is recognisable as the same one. */
  messageIdKey: string;
  headers?: Record<string, string>;
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

let transport: { url: string; transporter: Transporter } | undefined;

function smtpTransport(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.transporter.close();
    transport = { url, transporter: nodemailer.createTransport(url, { pool: true, maxConnections: 5 } as never) };
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
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId,
    headers: mail.headers,
    attachments: mail.attachments,
  };
  if (!config.SMTP_URL) {
    await writeToDevMailbox(config.MAILBOX_DIR, { ...message, date: new Date().toISOString() });
    return { messageId, acceptedAt: new Date() };
  }
  try {
    await smtpTransport(config.SMTP_URL).sendMail(message);
    return { messageId, acceptedAt: new Date() };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (code && code >= 500 && code < 600) {
      throw new PermanentMailError(`SMTP ${code}: ${(error as Error).message}`, code);
    }
    throw error;
  }
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
