import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export type CapturedMail = ParsedMail & {
  envelopeTo: string[];
  /** MAIL FROM (the bounce address), the name the client gave in EHLO, and whether it asked for SMTPUTF8. */
  envelopeFrom: string;
  ehloName: string;
  smtpUtf8: boolean;
  /** The message exactly as received, for signature checks. */
  raw: Buffer;
};

/** A rule that makes the server refuse matching messages, as a real one would. */
export type Refusal = { to?: string; code: number; message: string; times?: number };

/**
 * A real SMTP server in this process. It records every message it accepts (parsed with mailparser)
 * and can be told to answer with a temporary (4xx) or permanent (5xx) error.
 */
export class TestSmtpServer {
  readonly messages: CapturedMail[] = [];
  private refusals: Refusal[] = [];
  private beforeAccept: ((mail: CapturedMail) => Promise<void> | void) | undefined;
  private waiters: Array<{ match: (m: CapturedMail) => boolean; resolve: (m: CapturedMail) => void }> = [];
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session: SMTPServerSession, callback) => {
        const refusal = this.refusals.find((r) => (!r.to || r.to === address.address) && (r.times ?? 1) > 0);
        if (refusal) {
          if (refusal.times !== undefined) refusal.times -= 1;
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        new Promise<Buffer>((resolve, reject) => {
          stream.on('end', () => resolve(Buffer.concat(chunks)));
          stream.on('error', reject);
        })
          .then(async (raw) => {
            const parsed = await simpleParser(raw);
            const envelope = session.envelope as typeof session.envelope & { smtpUtf8?: boolean };
            const mail = Object.assign(parsed, {
              envelopeTo: envelope.rcptTo.map((r) => r.address),
              envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
              ehloName: session.hostNameAppearsAs,
              smtpUtf8: envelope.smtpUtf8 === true,
              raw,
            });
            // Whatever the hook throws is the server's answer: the message is then not accepted.
            await this.beforeAccept?.(mail);
            this.messages.push(mail);
            this.waiters = this.waiters.filter((w) => (w.match(mail) ? (w.resolve(mail), false) : true));
            callback();
          })
          .catch(callback);
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  refuse(refusal: Refusal) {
    this.refusals.push({ times: Infinity, ...refusal });
  }

  /**
   * Runs `hook` on each message after it is received and before the server answers; the message is
   * accepted when the hook returns, refused (4xx) if it throws. For faults at the moment of
   * acceptance: hold a message, or cut the database just before the sender hears "250 OK".
   */
  onBeforeAccept(hook: ((mail: CapturedMail) => Promise<void> | void) | undefined) {
    this.beforeAccept = hook;
  }

  clearRefusals() {
    this.refusals = [];
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.envelopeTo.includes(address));
  }

  /** Resolves with the first message (already received or arriving) that matches. */
  waitFor(match: (m: CapturedMail) => boolean, timeoutMs = 20_000): Promise<CapturedMail> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No matching email arrived in time')), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function confirmLinkFrom(mail: CapturedMail): string {
  const match = mail.text?.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/);
  if (!match) throw new Error(`No confirmation link in: ${mail.subject}`);
  return match[0];
}

/** A header's value as sent, unfolded (mailparser turns some, such as List-Unsubscribe, into objects). */
export function header(mail: CapturedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}

/** The http(s) URL in a mail's List-Unsubscribe header and its raw List-Unsubscribe-Post line (RFC 8058). */
export function listUnsubscribeOf(mail: CapturedMail): { url: string; postLine: string | undefined } {
  const line = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
  const url = line.match(/<(https?:\/\/[^>]+)>/)?.[1];
  if (!url) throw new Error(`No List-Unsubscribe URL in "${line}" (${mail.subject})`);
  return { url, postLine: mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line };
}
