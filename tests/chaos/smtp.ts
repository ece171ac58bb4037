// The SMTP server the chaos run's worker sends through: it logs every message it accepts (Message-ID,
// recipients, time) and injects faults: 421/451 windows, a permanent 550 for one address, and hooks
// that run inside the DATA handler before the answer (stop PostgreSQL, kill the worker).
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { parseCsv } from '../setup/parse-csv.ts';

export type MailKind = 'confirmation' | 'letter' | 'digest' | 'other';

export type AcceptedMail = {
  at: number;
  messageId: string;
  to: string[];
  kind: MailKind;
  /** The confirmation link, for confirmations. */
  confirmUrl?: string;
  /** Letters: the signer line of the letter ("Name, City"). */
  signerLine?: string;
  /** Digests: the CSV attachment's rows (header excluded). */
  csvRows?: string[][];
};

/** Runs inside the DATA handler for the first message it matches; `answer` says how the server replies. */
export type DataHook = {
  match: (mail: AcceptedMail) => boolean;
  run: (mail: AcceptedMail) => Promise<void>;
  answer: 'accept' | 'drop';
  fired?: number;
  /** Called as soon as the hook fires (before `run`), so its timeout can no longer win. */
  onFire?: () => void;
  resolve?: (mail: AcceptedMail) => void;
};

export function kindOf(messageId: string): MailKind {
  const local = messageId.replace(/^</, '');
  if (local.startsWith('confirm-')) return 'confirmation';
  if (local.startsWith('letter-')) return 'letter';
  if (local.startsWith('digest-')) return 'digest';
  return 'other';
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export class ChaosSmtp {
  readonly accepted: AcceptedMail[] = [];
  /** Messages refused or dropped on purpose, by reason. */
  readonly refused = { '421': 0, '451': 0, '550': 0, dropped: 0 };
  private window: { code: 421 | 451; until: number } | undefined;
  private hooks: DataHook[] = [];
  private listeners: Array<(mail: AcceptedMail) => void> = [];
  private server: SMTPServer;
  port = 0;

  constructor(private readonly options: { refuseAlways: string; logFile: string }) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // A pooled client sends many messages per connection; keep idle ones open long enough.
      socketTimeout: 120_000,
      onMailFrom: (_address, _session, callback) => {
        if (this.windowCode() === 421) {
          this.refused['421'] += 1;
          return callback(smtpError(421, 'Service not available, closing transmission channel (chaos window)'));
        }
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (address.address.toLowerCase() === this.options.refuseAlways) {
          this.refused['550'] += 1;
          return callback(smtpError(550, 'No such user here (chaos: this address always refuses)'));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (parsed) => {
            const messageId = parsed.messageId ?? '';
            const mail: AcceptedMail = {
              at: Date.now(),
              messageId,
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              kind: kindOf(messageId),
            };
            if (mail.kind === 'confirmation') mail.confirmUrl = parsed.text?.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/)?.[0];
            if (mail.kind === 'letter') mail.signerLine = parsed.text?.match(/\n\n(.+) has signed the public statement/)?.[1];
            if (mail.kind === 'digest') {
              const csv = parsed.attachments.find((a) => a.filename?.endsWith('.csv'));
              mail.csvRows = csv ? parseCsv(csv.content.toString('utf8').replace(/^\uFEFF/, '')).slice(1) : [];
            }
            if (this.windowCode() === 451) {
              this.refused['451'] += 1;
              return callback(smtpError(451, 'Requested action aborted: local error in processing (chaos window)'));
            }
            const hook = this.hooks.find((h) => !h.fired && h.match(mail));
            if (hook) {
              hook.fired = Date.now();
              hook.onFire?.();
              this.hooks = this.hooks.filter((h) => h !== hook);
              await hook.run(mail).catch((error) => console.error(`[chaos] hook failed: ${(error as Error).message}`));
              hook.resolve?.(mail);
              if (hook.answer === 'drop') {
                this.refused.dropped += 1;
                return callback(smtpError(421, 'Connection lost (chaos)'));
              }
            }
            this.accept(mail);
            callback();
          })
          .catch((error) => callback(error));
      },
    });
    this.server.on('error', () => {}); // a client killed mid-transaction resets its connection
  }

  private accept(mail: AcceptedMail) {
    mail.at = Date.now();
    this.accepted.push(mail);
    appendFileSync(this.options.logFile, JSON.stringify({ at: new Date(mail.at).toISOString(), messageId: mail.messageId, to: mail.to, kind: mail.kind }) + '\n');
    for (const l of this.listeners) l(mail);
  }

  private windowCode() {
    if (this.window && Date.now() < this.window.until) return this.window.code;
    return undefined;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuses every message with `code` for `ms` (421 at MAIL FROM, 451 after the data was sent). */
  refuseFor(code: 421 | 451, ms: number) {
    this.window = { code, until: Date.now() + ms };
  }

  /** Arms a hook; resolves with the message it fired on, or undefined after `timeoutMs`. */
  armHook(hook: Omit<DataHook, 'fired' | 'onFire' | 'resolve'>, timeoutMs: number): Promise<AcceptedMail | undefined> {
    return new Promise((resolve) => {
      const armed: DataHook = { ...hook };
      const timer = setTimeout(() => {
        this.hooks = this.hooks.filter((h) => h !== armed);
        resolve(undefined);
      }, timeoutMs);
      armed.onFire = () => clearTimeout(timer);
      armed.resolve = resolve;
      this.hooks.push(armed);
    });
  }

  onAccept(listener: (mail: AcceptedMail) => void) {
    this.listeners.push(listener);
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
