// The fault schedule: each fault runs in turn, and records when it began, when the service was back
// (its end) and, for faults fired from inside the SMTP server, the message it fired on.
import type { ChaosApp } from './app.ts';
import type { ChaosPostgres, ChaosRedis } from './services.ts';
import type { AcceptedMail, ChaosSmtp } from './smtp.ts';
import { sleep } from './time.ts';

export type FaultRecord = {
  label: string;
  startedAt: number;
  /** When the service was back (restarted, window over); recovery is measured from here. */
  endedAt?: number;
  injected: boolean;
  /** The message a hook fired on (mid-send kill, PostgreSQL down after acceptance). */
  messageId?: string;
  note?: string;
};

export type FaultContext = {
  app: ChaosApp;
  postgres: ChaosPostgres;
  redis: ChaosRedis;
  smtp: ChaosSmtp;
  /** The per-signature addressee that accepts letters. */
  letterAddress: string;
  timing: { postgresDownMs: number; smtpWindowMs: number; redisDownMs: number; workerPauseMs: number; hookTimeoutMs: number };
};

const KILL_QUIET_MS = 2_000;

/**
 * kill -9 of the worker, with one stated exception: a message the SMTP server has just answered 250 can be
 * sent again if the worker dies before it noted the acceptance (the window the README's delivery guarantee
 * names; no SMTP client can close it). So for a moment before the kill every other message is refused with
 * 451, letting the worker note what was already accepted; the run then measures the protocol, not that window.
 */
async function killWorker({ app, smtp }: FaultContext) {
  smtp.refuseFor(451, KILL_QUIET_MS + 1_000);
  await sleep(KILL_QUIET_MS);
  await app.worker.kill();
}

export type Fault = { label: string; estimateMs: (t: FaultContext['timing']) => number; run: (ctx: FaultContext, record: FaultRecord) => Promise<void> };

const smtpWindow = (code: 421 | 451): Fault => ({
  label: `SMTP ${code} window`,
  estimateMs: (t) => t.smtpWindowMs,
  async run({ smtp, timing }, record) {
    smtp.refuseFor(code, timing.smtpWindowMs);
    record.injected = true;
    await sleep(timing.smtpWindowMs);
    record.endedAt = Date.now();
  },
});

const postgresDown = (mode: 'fast' | 'immediate'): Fault => ({
  label: `PostgreSQL stopped (-m ${mode})`,
  estimateMs: (t) => t.postgresDownMs + 2_000,
  async run({ postgres, timing }, record) {
    await postgres.stop(mode);
    record.injected = true;
    await sleep(timing.postgresDownMs);
    await postgres.start();
    record.endedAt = Date.now();
  },
});

/** A hook in the SMTP server's DATA handler: `act` runs before the server answers, then `after` restores. */
const fromSmtp = (
  label: string,
  match: (mail: AcceptedMail, ctx: FaultContext) => boolean,
  answer: 'accept' | 'drop',
  act: (ctx: FaultContext) => Promise<void>,
  after: (ctx: FaultContext) => Promise<void>,
  estimate: (t: FaultContext['timing']) => number,
): Fault => ({
  label,
  estimateMs: estimate,
  async run(ctx, record) {
    const fired = await ctx.smtp.armHook({ match: (m) => match(m, ctx), run: () => act(ctx), answer }, ctx.timing.hookTimeoutMs);
    if (!fired) {
      record.note = `no matching message within ${ctx.timing.hookTimeoutMs / 1000} s`;
      return;
    }
    record.injected = true;
    record.startedAt = fired.at; // the fault hit when the message came in, not when the hook was armed
    record.messageId = fired.messageId;
    await after(ctx);
    record.endedAt = Date.now();
  },
});

const isLetter = (m: AcceptedMail, ctx: FaultContext) => m.kind === 'letter' && m.to.includes(ctx.letterAddress);

// Faults fired from the SMTP server come first, while confirmations and letters are certain to be flowing.
export const FAULTS: Fault[] = [
  smtpWindow(421),
  fromSmtp(
    'PostgreSQL down (-m fast) after SMTP accepted a confirmation',
    (m) => m.kind === 'confirmation',
    'accept',
    ({ postgres }) => postgres.stop('fast'),
    async ({ postgres, timing }) => {
      await sleep(timing.postgresDownMs);
      await postgres.start();
    },
    (t) => t.postgresDownMs + 2_000,
  ),
  fromSmtp(
    'worker kill -9 mid-send (letter)',
    isLetter,
    'drop',
    killWorker,
    async ({ app, timing }) => {
      await sleep(timing.workerPauseMs);
      await app.startWorker();
    },
    (t) => t.workerPauseMs + KILL_QUIET_MS + 3_000,
  ),
  fromSmtp(
    'PostgreSQL down (-m immediate) after SMTP accepted a letter',
    isLetter,
    'accept',
    ({ postgres }) => postgres.stop('immediate'),
    async ({ postgres, timing }) => {
      await sleep(timing.postgresDownMs);
      await postgres.start();
    },
    (t) => t.postgresDownMs + 2_000,
  ),
  {
    label: 'worker kill -9',
    estimateMs: (t) => t.workerPauseMs + KILL_QUIET_MS + 3_000,
    async run(ctx, record) {
      const { app, timing } = ctx;
      await killWorker(ctx);
      record.injected = true;
      await sleep(timing.workerPauseMs);
      await app.startWorker();
      record.endedAt = Date.now();
    },
  },
  postgresDown('fast'),
  {
    label: 'Redis kill -9, restart from AOF',
    estimateMs: (t) => t.redisDownMs + 1_000,
    async run({ redis, timing }, record) {
      await redis.kill();
      record.injected = true;
      await sleep(timing.redisDownMs);
      await redis.start();
      record.endedAt = Date.now();
    },
  },
  smtpWindow(451),
  postgresDown('immediate'),
];

/**
 * Runs every fault once, spread over `spanMs` from now: a lead-in, then each fault followed by an
 * even gap (at least `minGapMs`, so the system has work in flight again before the next one).
 */
export async function runSchedule(ctx: FaultContext, spanMs: number, shouldStop: () => boolean, log: (line: string) => void): Promise<FaultRecord[]> {
  const busy = FAULTS.reduce((sum, f) => sum + f.estimateMs(ctx.timing), 0);
  const gap = Math.max(2_000, (spanMs - busy) / (FAULTS.length + 1));
  const records: FaultRecord[] = [];
  await sleep(gap);
  for (const fault of FAULTS) {
    if (shouldStop()) break;
    const record: FaultRecord = { label: fault.label, startedAt: Date.now(), injected: false };
    records.push(record);
    log(`fault: ${fault.label}…`);
    try {
      await fault.run(ctx, record);
    } catch (error) {
      record.note = `could not be injected: ${(error as Error).message}`;
    }
    log(`fault: ${fault.label} ${record.injected ? `done (${((record.endedAt ?? Date.now()) - record.startedAt) / 1000} s)` : `NOT injected: ${record.note}`}`);
    await sleep(gap);
  }
  return records;
}
