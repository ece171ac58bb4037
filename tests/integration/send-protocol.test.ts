// Exactly once, for every kind of email: the send protocol (workers/send-email.ts) with faults at
// the moments that matter. Real PostgreSQL (the app reaches it through a TCP proxy the test cuts),
// Redis, an SMTP server in this process, and, for the crash, a real worker process killed mid-send.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { TcpProxy } from '../setup/tcp-proxy.ts';
import { eventually } from '../setup/wait.ts';

const directUrl = process.env.DATABASE_URL!;
const pgProxy = new TcpProxy({ host: new URL(directUrl).hostname, port: Number(new URL(directUrl).port || 5432) });
await pgProxy.start();
// The app (workers included) reaches PostgreSQL only through the proxy; the test reads it directly.
const proxied = new URL(directUrl);
proxied.hostname = '127.0.0.1';
proxied.port = String(pgProxy.port);
process.env.DATABASE_URL = proxied.toString();
// A short lease and a short in-process patience, so a crash and a long outage take seconds here.
process.env.SEND_LEASE_MS = '1500';
process.env.SEND_RECORD_RETRY_MS = '1000';
// Bounce handling on: every message goes out from its own signed bounce address.
process.env.BOUNCE_DOMAIN = 'bounces.chorus.example.org';
const smtp = await useTestSmtp();

const { db, disconnectDb } = await import('../../app/utils/db.server.ts');
const { addJob, jobs, queue } = await import('../../app/queues.server.ts');
const { createCampaign, createUser } = await import('../setup/factories.ts');
const { bounceAddress } = await import('../../app/utils/bounce-address.server.ts');
type BounceRef = import('../../app/utils/bounce-address.server.ts').BounceRef;

const direct = new pg.Client({ connectionString: directUrl });
await direct.connect();
const redis = new Redis(process.env.REDIS_URL!);
const prefix = process.env.QUEUE_PREFIX!;

afterEach(async () => {
  smtp.onBeforeAccept(undefined);
  smtp.clearRefusals();
  await pgProxy.restore();
});

afterAll(async () => {
  await direct.end();
  redis.disconnect();
  // The app's pool goes first, and the file's teardown (which drops its database) connects directly.
  await disconnectDb();
  process.env.DATABASE_URL = directUrl;
  await pgProxy.stop();
});

const hex = () => randomBytes(4).toString('hex');

/** What the database says about one email: when it was recorded as accepted, its Message-ID where kept, whether it was given up on. */
type Recorded = { at: Date | null; messageId?: string | null; failed?: boolean };

type Owed = {
  to: string;
  /** The send's idempotency key (its lease, its note and its Message-ID), once the email is claimed. */
  key: () => Promise<string>;
  /** Adds a job for this email under the given id (a first job, a retry's copy, a duplicate). */
  add: (jobId: string, options?: { attempts?: number }) => Promise<Job>;
  recorded: () => Promise<Recorded>;
  /** The message and its recipient's row, as its bounce address must name them (once the email is claimed). */
  bounceRef: () => Promise<BounceRef>;
};

type Kind = { name: string; setup: () => Promise<Owed> };

async function signatureRow(campaignId: string, confirmed: boolean, extra: { wantsUpdates?: boolean } = {}) {
  const email = `signer-${hex()}@example.net`;
  return db.signature.create({
    data: {
      campaignId,
      fullName: 'Айгүл Серікқызы',
      email,
      emailNormalized: email,
      city: 'Алматы',
      country: 'KZ',
      consentVersion: 'test',
      tokenHash: randomBytes(16).toString('hex'),
      ipHash: randomBytes(16).toString('hex'),
      status: confirmed ? 'CONFIRMED' : 'PENDING',
      // Fresh: the reconciler leaves work younger than its grace period to the job under test.
      confirmedAt: confirmed ? new Date(Date.now() - 1_000) : null,
      ...extra,
    },
  });
}

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T | undefined> {
  return (await direct.query<T>(sql, params)).rows[0];
}

async function deliveryOf(addresseeId: string): Promise<Recorded & { id?: string }> {
  const row = await one<{ id: string; status: string; messageId: string | null; sentAt: Date | null }>(
    `SELECT id, status, "messageId", "sentAt" FROM "Delivery" WHERE "addresseeId" = $1`,
    [addresseeId],
  );
  return { id: row?.id, at: row?.sentAt ?? null, messageId: row?.messageId ?? null, failed: row?.status === 'FAILED' };
}

const kinds: Kind[] = [
  {
    name: 'signer confirmation',
    async setup() {
      const campaign = await createCampaign({ addressees: [] });
      const s = await signatureRow(campaign.id, false);
      return {
        to: s.email,
        key: async () => `confirm-${s.id}-${s.confirmationRequestedAt.getTime()}`,
        bounceRef: async () => ({ kind: 'confirmation', signatureId: s.id }),
        add: (jobId) => addJob(jobs.sendConfirmation, { signatureId: s.id }, { jobId }),
        async recorded() {
          const row = await one<{ confirmationSentAt: Date | null; confirmationFailedAt: Date | null }>(
            `SELECT "confirmationSentAt", "confirmationFailedAt" FROM "Signature" WHERE id = $1`,
            [s.id],
          );
          return { at: row?.confirmationSentAt ?? null, failed: row?.confirmationFailedAt != null };
        },
      };
    },
  },
  {
    name: 'letter to an addressee',
    async setup() {
      const campaign = await createCampaign();
      const [office] = campaign.addressees;
      const s = await signatureRow(campaign.id, true);
      return {
        to: office.email,
        key: async () => `letter-${(await deliveryOf(office.id)).id}`,
        bounceRef: async () => ({ kind: 'delivery', deliveryId: (await deliveryOf(office.id)).id! }),
        add: (jobId, options) => addJob(jobs.letter, { addresseeId: office.id, signatureId: s.id }, { jobId, ...options }),
        recorded: () => deliveryOf(office.id),
      };
    },
  },
  {
    name: 'digest to an addressee',
    async setup() {
      const campaign = await createCampaign({ addressees: [{ deliveryMode: 'DIGEST' }] });
      const [office] = campaign.addressees;
      // Paused until the test asks: the reconciler queues due digests at once, without a grace period.
      await db.addressee.update({ where: { id: office.id }, data: { paused: true } });
      await signatureRow(campaign.id, true);
      await signatureRow(campaign.id, true);
      return {
        to: office.email,
        key: async () => `digest-${(await deliveryOf(office.id)).id}`,
        bounceRef: async () => ({ kind: 'delivery', deliveryId: (await deliveryOf(office.id)).id! }),
        async add(jobId) {
          await db.addressee.update({ where: { id: office.id }, data: { paused: false } });
          return addJob(jobs.digest, { addresseeId: office.id }, { jobId });
        },
        recorded: () => deliveryOf(office.id),
      };
    },
  },
  {
    name: 'organiser sign-in link',
    async setup() {
      const user = await createUser();
      const token = await db.loginToken.create({
        data: { userId: user.id, tokenHash: randomBytes(16).toString('hex'), expiresAt: new Date(Date.now() + 15 * 60_000) },
      });
      return {
        to: user.email,
        key: async () => `signin-${token.id}`,
        bounceRef: async () => ({ kind: 'signInLink', loginTokenId: token.id }),
        add: (jobId) => addJob(jobs.signInLink, { loginTokenId: token.id }, { jobId }),
        async recorded() {
          const row = await one<{ sentAt: Date | null }>(`SELECT "sentAt" FROM "LoginToken" WHERE id = $1`, [token.id]);
          return { at: row?.sentAt ?? null };
        },
      };
    },
  },
  {
    name: 'member invitation',
    async setup() {
      const campaign = await createCampaign({ addressees: [] });
      const user = await createUser();
      const member = await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role: 'EDITOR' } });
      return {
        to: user.email,
        key: async () => `member-${member.id}`,
        bounceRef: async () => ({ kind: 'memberInvitation', memberId: member.id }),
        add: (jobId) => addJob(jobs.memberInvited, { memberId: member.id }, { jobId }),
        async recorded() {
          const row = await one<{ notifiedAt: Date | null }>(`SELECT "notifiedAt" FROM "CampaignMember" WHERE id = $1`, [member.id]);
          return { at: row?.notifiedAt ?? null };
        },
      };
    },
  },
  {
    name: 'partner verification',
    async setup() {
      const campaign = await createCampaign({ addressees: [] });
      const contactEmail = `partner-${hex()}@example.org`;
      const partner = await db.partner.create({
        data: { slug: `partner-${hex()}`, kind: 'ORGANISATION', name: 'Адам құқықтары бюросы', country: 'KZ', contactEmail },
      });
      const coSignature = await db.coSignature.create({ data: { campaignId: campaign.id, partnerId: partner.id } });
      return {
        to: contactEmail,
        key: async () => `partner-${coSignature.id}`,
        bounceRef: async () => ({ kind: 'partnerVerification', coSignatureId: coSignature.id }),
        add: (jobId) => addJob(jobs.partnerVerification, { coSignatureId: coSignature.id }, { jobId }),
        async recorded() {
          const row = await one<{ verificationSentAt: Date | null }>(`SELECT "verificationSentAt" FROM "CoSignature" WHERE id = $1`, [coSignature.id]);
          return { at: row?.verificationSentAt ?? null };
        },
      };
    },
  },
  {
    name: 'update to a signer',
    async setup() {
      const campaign = await createCampaign({ addressees: [] });
      const s = await signatureRow(campaign.id, true, { wantsUpdates: true });
      const update = await db.update.create({
        data: { campaignId: campaign.id, title: 'Суд перенесён', body: 'The hearing moved to **Monday**.', status: 'SENDING', recipientCount: 1, sendStartedAt: new Date() },
      });
      return {
        to: s.email,
        key: async () => `update-${update.id}-${s.id}`,
        bounceRef: async () => {
          const row = await one<{ id: string }>(`SELECT id FROM "UpdateDelivery" WHERE "updateId" = $1`, [update.id]);
          return { kind: 'update', updateDeliveryId: row!.id };
        },
        add: (jobId) => addJob(jobs.updateEmail, { updateId: update.id, signatureId: s.id }, { jobId }),
        async recorded() {
          const row = await one<{ sentAt: Date | null; messageId: string | null; error: string | null }>(
            `SELECT "sentAt", "messageId", error FROM "UpdateDelivery" WHERE "updateId" = $1`,
            [update.id],
          );
          return { at: row?.sentAt ?? null, messageId: row?.messageId ?? null, failed: row?.error != null };
        },
      };
    },
  },
  {
    name: 'notice of an automatic pause to an owner',
    async setup() {
      const campaign = await createCampaign();
      const [office] = campaign.addressees;
      const owner = await createUser();
      await db.campaignMember.create({ data: { campaignId: campaign.id, userId: owner.id, role: 'OWNER' } });
      // Paused by Chorus, its notices made (as the addressee-paused job does); this one is still owed.
      const pausedAt = new Date();
      await db.addressee.update({
        where: { id: office.id },
        data: { paused: true, pausedAt, pauseReason: '5.1.1 550 5.1.1 user unknown', hardBounces: 3, pauseNoticeSentAt: pausedAt },
      });
      const notice = await db.pauseNotice.create({ data: { addresseeId: office.id, userId: owner.id, pausedAt } });
      return {
        to: owner.email,
        key: async () => `pausenotice-${notice.id}`,
        bounceRef: async () => ({ kind: 'pauseNotice', pauseNoticeId: notice.id }),
        add: (jobId) => addJob(jobs.pauseNotice, { pauseNoticeId: notice.id }, { jobId }),
        async recorded() {
          const row = await one<{ sentAt: Date | null; messageId: string | null; error: string | null }>(
            `SELECT "sentAt", "messageId", error FROM "PauseNotice" WHERE id = $1`,
            [notice.id],
          );
          return { at: row?.sentAt ?? null, messageId: row?.messageId ?? null, failed: row?.error != null };
        },
      };
    },
  },
];

const fresh = async (job: Job) => (await queue(job.queueName as never).getJob(job.id!))!;
const stateOf = async (job: Job) => (await fresh(job)).getState();
const acceptanceNoted = async (key: string) => (await redis.exists(`${prefix}:send:${key}:accepted`)) === 1;

describe('each kind of email, with the workers in this process', () => {
  useWorkers();

  it.each(kinds)('$name: goes out from its own signed bounce address (VERP), which names the message and its recipient row', async (kind) => {
    const owed = await kind.setup();
    const job = await owed.add(`verp_${hex()}`);
    await eventually(async () => (await stateOf(job)) === 'completed', { what: 'the job to complete' });
    const [mail] = smtp.to(owed.to);
    expect(smtp.to(owed.to)).toHaveLength(1);
    const expected = bounceAddress(await owed.bounceRef());
    expect(expected).toMatch(/^bounces\+[a-z]\.[a-z0-9-]+\.[a-z2-7]{16}@bounces\.chorus\.example\.org$/);
    expect(mail.envelopeFrom).toBe(expected);
    // The From header stays MAIL_FROM: only the envelope (Return-Path) changes per message.
    expect(mail.from?.text).not.toContain('bounces+');
  });

  it.each(kinds)('$name: PostgreSQL failing just after the SMTP server accepted sends it once, and records it when PostgreSQL is back', async (kind) => {
    const owed = await kind.setup();
    smtp.onBeforeAccept(async (mail) => {
      if (!mail.envelopeTo.includes(owed.to)) return;
      smtp.onBeforeAccept(undefined);
      await pgProxy.cut(); // the worker hears "250 OK" with the database already gone
    });
    const job = await owed.add(`first_${hex()}`);

    // The worker noted the acceptance in Redis, kept retrying the database for SEND_RECORD_RETRY_MS,
    // then handed the job back to BullMQ: an attempt failed, and the database still knows nothing.
    await eventually(async () => (await fresh(job)).attemptsMade >= 1, { what: 'an attempt to fail while PostgreSQL is down' });
    expect(await acceptanceNoted(await owed.key())).toBe(true);
    expect((await owed.recorded()).at).toBeNull();
    expect(smtp.to(owed.to)).toHaveLength(1);

    await pgProxy.restore();
    const recorded = await eventually(async () => {
      const r = await owed.recorded();
      return r.at ? r : null;
    }, { what: 'the acceptance to be recorded' });
    await eventually(async () => (await stateOf(job)) === 'completed', { what: 'the job to complete' });

    const [mail] = smtp.to(owed.to);
    expect(smtp.to(owed.to)).toHaveLength(1);
    expect((await fresh(job)).returnvalue).toBe(`recorded an earlier acceptance ${mail.messageId}`);
    if (recorded.messageId !== undefined) expect(recorded.messageId).toBe(mail.messageId);
    expect(recorded.failed ?? false).toBe(false);
  });

  it('a last attempt that cannot record an accepted letter leaves it owed, never FAILED; the reconciler records it without sending', async () => {
    const letter = kinds.find((k) => k.name === 'letter to an addressee')!;
    const owed = await letter.setup();
    smtp.onBeforeAccept(async (mail) => {
      if (!mail.envelopeTo.includes(owed.to)) return;
      smtp.onBeforeAccept(undefined);
      await pgProxy.cut();
    });
    const only = await owed.add(`last_${hex()}`, { attempts: 1 });
    await eventually(async () => (await stateOf(only)) === 'failed', { what: 'the single attempt to fail' });
    await pgProxy.restore();
    expect((await owed.recorded()).failed).toBe(false);

    const { reconcile } = await import('../../workers/maintenance.worker.ts');
    await reconcile(0);
    const recorded = await eventually(async () => {
      const r = await owed.recorded();
      return r.at ? r : null;
    }, { what: 'the reconciler to have the acceptance recorded' });
    expect(smtp.to(owed.to)).toHaveLength(1);
    expect(recorded).toMatchObject({ failed: false, messageId: smtp.to(owed.to)[0].messageId });
  });

  it.each(kinds)('$name: a duplicate job while the first is sending waits, then sends nothing', async (kind) => {
    const owed = await kind.setup();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const sending = new Promise<void>((resolve) => (arrived = resolve));
    smtp.onBeforeAccept(async (mail) => {
      if (!mail.envelopeTo.includes(owed.to)) return;
      arrived();
      await held;
    });

    const first = await owed.add(`first_${hex()}`);
    await sending;
    const copy = await owed.add(`copy_${hex()}`);
    // The copy finds the email claimed and goes back to wait, without using up an attempt.
    await eventually(async () => (await stateOf(copy)) === 'delayed', { what: 'the copy to wait for the lease' });
    release();

    await eventually(async () => (await stateOf(first)) === 'completed' && (await stateOf(copy)) === 'completed', {
      what: 'both jobs to complete',
    });
    expect(smtp.to(owed.to)).toHaveLength(1);
    expect((await fresh(copy)).returnvalue).not.toBe(smtp.to(owed.to)[0].messageId);
    expect((await owed.recorded()).at).not.toBeNull();
  });

  it.each(kinds)('$name: a permanent refusal (5xx) is recorded and not retried', async (kind) => {
    const owed = await kind.setup();
    smtp.refuse({ to: owed.to, code: 550, message: 'Mailbox unavailable' });
    const job = await owed.add(`first_${hex()}`);

    await eventually(async () => (await stateOf(job)) === 'failed', { what: 'the job to fail' });
    const failed = await fresh(job);
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/550/);
    expect(smtp.to(owed.to)).toHaveLength(0);
    const recorded = await owed.recorded();
    expect(recorded.at).toBeNull();
    // Kinds that keep a failure on record have it; the others are offered again by the reconciler.
    if (recorded.failed !== undefined) expect(recorded.failed).toBe(true);
  });
});

describe('a worker killed in the middle of a send', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

  it('gives the killed worker\'s own job to another worker (stalled check) once its lease expires, and the email goes out once', async () => {
    const owed = await kinds.find((k) => k.name === 'letter to an addressee')!.setup();
    let arrived!: () => void;
    const sending = new Promise<void>((resolve) => (arrived = resolve));
    let refuse!: (error: Error) => void;
    smtp.onBeforeAccept(async (mail) => {
      if (!mail.envelopeTo.includes(owed.to)) return;
      arrived();
      // Never answered while the worker lives: it dies mid-send, before any acceptance.
      await new Promise<void>((_, reject) => (refuse = reject));
    });

    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
    const output: string[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

    let workers: { close: () => Promise<void> } | undefined;
    try {
      const job = await owed.add(`first_${hex()}`);
      await sending;
      const lease = `${prefix}:send:${await owed.key()}:lease`;
      expect(await redis.pttl(lease)).toBeGreaterThan(0); // held by the worker process, renewed while it lives
      expect(await stateOf(job)).toBe('active');

      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      refuse(Object.assign(new Error('Connection lost'), { responseCode: 451 }));
      smtp.onBeforeAccept(undefined);
      expect(smtp.to(owed.to)).toHaveLength(0);

      // Another worker starts; nobody adds the work again: BullMQ's stalled check must hand it the
      // dead worker's job (with the lock settings of workers/start.ts), and the send protocol must
      // wait for the dead worker's lease before sending.
      const { startWorkers } = await import('../../workers/start.ts');
      workers = await startWorkers();

      const recorded = await eventually(async () => {
        const r = await owed.recorded();
        return r.at ? r : null;
      }, { what: 'the letter to be sent and recorded by the other worker', timeoutMs: 150_000 });
      // The figure for the README (not asserted: the machine may be busy).
      console.log(`[send-protocol] worker killed mid-send: resent and recorded ${((Date.now() - killedAt) / 1000).toFixed(1)} s later`);
      await eventually(async () => (await stateOf(job)) === 'completed', { what: 'the killed worker\'s job to complete', timeoutMs: 60_000 });
      const [mail] = smtp.to(owed.to);
      expect(smtp.to(owed.to)).toHaveLength(1);
      expect(recorded.messageId).toBe(mail.messageId);
    } catch (error) {
      process.stderr.write(`--- worker process ---\n${output.join('')}\n`);
      throw error;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await workers?.close();
    }
  }, 300_000); // starts a worker process, which takes a while on a busy machine
});
