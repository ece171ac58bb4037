// Signers as a person without JavaScript would be: POST the sign form, wait for the confirmation
// email, open its link (a page with a button) and POST the button. Every step is retried when the
// app says it could not do it (503, a dropped connection), a bounded number of times.
import type { AcceptedMail } from './smtp.ts';
import { sleep } from './time.ts';

export type Signer = {
  index: number;
  email: string;
  fullName: string;
  city: string;
  /** Time of the first 303 to the sign POST ("check your inbox"). */
  signedAt?: number;
  signAttempts: number;
  /** Time of the 303 to the confirm POST (the thank-you page). */
  confirmedAt?: number;
  confirmAttempts: number;
  gaveUp?: string;
};

export type Answer = { at: number; step: 'sign' | 'open' | 'confirm'; status: number | 'error' };

/** A name made of letters only (the form wants letters), unique per signer. */
export function signerName(index: number): string {
  let code = '';
  let n = index;
  do {
    code = String.fromCharCode(97 + (n % 26)) + code;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `Chaos ${code.padStart(4, 'a')} Signer`;
}

export class SignerDriver {
  readonly signers: Signer[] = [];
  readonly answers: Answer[] = [];
  private inbox = new Map<string, AcceptedMail[]>();
  private waiting = new Map<string, () => void>();

  constructor(
    private readonly options: { baseUrl: string; slug: string; runId: string; stepDeadlineMs: number; mailWaitMs: number; retryMs: number },
  ) {}

  /** Called by the SMTP server for every accepted message. */
  deliver(mail: AcceptedMail) {
    if (mail.kind !== 'confirmation') return;
    for (const to of mail.to) {
      this.inbox.set(to, [...(this.inbox.get(to) ?? []), mail]);
      this.waiting.get(to)?.();
    }
  }

  /** Starts `count` signers at `rate` per second; resolves when every one has finished or given up. */
  async drive(count: number, rate: number, shouldStop: () => boolean): Promise<void> {
    const start = Date.now();
    const flows: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      if (shouldStop()) break;
      const signer: Signer = {
        index: i,
        email: `signer-${this.options.runId}-${i}@chaos.example.net`,
        fullName: signerName(i),
        city: 'Almaty',
        signAttempts: 0,
        confirmAttempts: 0,
      };
      this.signers.push(signer);
      flows.push(this.flow(signer, shouldStop));
    }
    await Promise.all(flows);
  }

  private async flow(signer: Signer, shouldStop: () => boolean) {
    try {
      const signed = await this.retry(signer, 'sign', shouldStop, async () => {
        signer.signAttempts += 1;
        const res = await this.request('sign', `/c/${this.options.slug}`, {
          fullName: signer.fullName,
          email: signer.email,
          city: signer.city,
          country: 'KZ',
          showName: 'on',
          consent: 'on',
        });
        return res.status === 303 && (res.headers.get('location') ?? '').endsWith('/check-email');
      });
      if (!signed) return;
      signer.signedAt = Date.now();

      const mail = await this.confirmationFor(signer.email, shouldStop);
      if (!mail?.confirmUrl) return void (signer.gaveUp ??= mail ? 'no link in the confirmation email' : 'no confirmation email arrived');
      const path = new URL(mail.confirmUrl).pathname;

      const opened = await this.retry(signer, 'open', shouldStop, async () => {
        const res = await this.request('open', path);
        return res.status === 200 && (await res.text()).includes('Confirm my signature');
      });
      if (!opened) return;
      const confirmed = await this.retry(signer, 'confirm', shouldStop, async () => {
        signer.confirmAttempts += 1;
        const res = await this.request('confirm', path, {});
        return res.status === 303 && (res.headers.get('location') ?? '').endsWith('/thank-you');
      });
      if (confirmed) signer.confirmedAt = Date.now();
    } catch (error) {
      signer.gaveUp ??= `error: ${(error as Error).message}`;
    }
  }

  private async request(step: Answer['step'], path: string, form?: Record<string, string>) {
    try {
      const res = await fetch(`${this.options.baseUrl}${path}`, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
        body: form ? new URLSearchParams(form) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      this.answers.push({ at: Date.now(), step, status: res.status });
      return res;
    } catch (error) {
      this.answers.push({ at: Date.now(), step, status: 'error' });
      throw error;
    }
  }

  /** Repeats `attempt` until it succeeds, for at most the step deadline. */
  private async retry(signer: Signer, step: string, shouldStop: () => boolean, attempt: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + this.options.stepDeadlineMs;
    // Backing off like a person would (and so that an overloaded web is not buried in retries).
    let pause = this.options.retryMs;
    for (;;) {
      if (await attempt().catch(() => false)) return true;
      if (Date.now() > deadline || shouldStop()) {
        signer.gaveUp ??= `${step} did not succeed within ${this.options.stepDeadlineMs / 1000} s`;
        return false;
      }
      await sleep(pause * (0.5 + Math.random()));
      pause = Math.min(pause * 2, 8_000);
    }
  }

  private async confirmationFor(email: string, shouldStop: () => boolean): Promise<AcceptedMail | undefined> {
    const deadline = Date.now() + this.options.mailWaitMs;
    for (;;) {
      const mail = this.inbox.get(email)?.[0];
      if (mail) return mail;
      if (Date.now() > deadline || shouldStop()) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiting.set(email, () => (clearTimeout(timer), resolve()));
      });
      this.waiting.delete(email);
    }
  }
}
