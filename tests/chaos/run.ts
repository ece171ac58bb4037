// `npm run chaos`: the whole system under faults, with its own PostgreSQL, Redis (AOF) and a
// fault-injecting SMTP server, web and worker as separate processes, and signers driven over HTTP.
// It prints what was lost, missing, duplicated or unrecorded, and exits 1 if any of it is not 0.
//
//   node --import tsx tests/chaos/run.ts [--short] [--signers N] [--rate R] [--keep-output]
//
// Everything it starts listens on 127.0.0.1 only and is stopped (and its temporary directory removed)
// when it ends, fails or is interrupted.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ChaosApp } from './app.ts';
import { runSchedule, type FaultContext, type FaultRecord } from './faults.ts';
import { computeFigures, readPublicView, snapshot, type CampaignUnderTest } from './report.ts';
import { ChaosPostgres, ChaosRedis } from './services.ts';
import { SignerDriver } from './signers.ts';
import { ChaosSmtp } from './smtp.ts';
import { freePort, seconds, sleep } from './time.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outputDir = path.join(root, 'tests/chaos/output');

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    signers: { type: 'string' },
    rate: { type: 'string' },
    'settle-seconds': { type: 'string' },
    'digest-minutes': { type: 'string' },
  },
});
const short = args.short!;
const options = {
  signers: Number(args.signers ?? (short ? 300 : 3000)),
  rate: Number(args.rate ?? (short ? 3 : 10)),
  settleMs: Number(args['settle-seconds'] ?? 240) * 1000,
  // 0: a digest on every reconciler run (every 2 s), so many digests are in flight when faults hit.
  digestMinutes: Number(args['digest-minutes'] ?? 0),
  timing: {
    postgresDownMs: short ? 6_000 : 12_000,
    smtpWindowMs: short ? 5_000 : 10_000,
    redisDownMs: 3_000,
    workerPauseMs: 1_000,
    hookTimeoutMs: 60_000,
  },
};
if (!(options.signers > 0) || !(options.rate > 0)) {
  console.error('--signers and --rate must be positive numbers');
  process.exit(2);
}

const started = Date.now();
const log = (line: string) => console.log(`[chaos +${seconds(Date.now() - started).padStart(7)}] ${line}`);

// Everything started is registered here and undone in reverse order, whatever happens.
const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      await Promise.race([c.run(), sleep(60_000).then(() => Promise.reject(new Error('timed out')))]).catch((error) =>
        console.error(`[chaos] cleaning up ${c.what} failed: ${(error as Error).message}`),
      );
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`[chaos] ${signal}: stopping everything`);
    void cleanUp().then(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const runId = randomBytes(3).toString('hex');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'chorus-chaos-'));
  cleanups.push({ what: tmp, run: () => rm(tmp, { recursive: true, force: true }) });
  await mkdir(outputDir, { recursive: true });
  log(`${options.signers} signers at ${options.rate}/s; temporary files in ${tmp}, logs in ${path.relative(root, outputDir)}/`);

  // PostgreSQL, Redis and SMTP of our own.
  const postgres = new ChaosPostgres(path.join(tmp, 'postgres'), await freePort());
  await postgres.init();
  cleanups.push({ what: 'PostgreSQL', run: () => postgres.stop('fast') });
  await postgres.start();
  const redis = new ChaosRedis(tmp, await freePort());
  cleanups.push({ what: 'Redis', run: () => redis.stop() });
  await redis.start();
  const refusedAddress = `refuses-${runId}@justice.chaos.example.org`;
  const smtpLog = path.join(outputDir, 'smtp-accepted.jsonl');
  await writeFile(smtpLog, '');
  const smtp = new ChaosSmtp({ refuseAlways: refusedAddress, logFile: smtpLog });
  const smtpUrl = await smtp.start();
  cleanups.push({ what: 'SMTP server', run: () => smtp.stop() });
  log(`PostgreSQL on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port} (AOF, fsync always), SMTP on 127.0.0.1:${smtp.port}`);

  // The schema and the campaign under test, written through the project's own code.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const appEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Chorus <campaigns@chaos.example.org>',
    HASH_SECRET: randomBytes(24).toString('hex'),
    SESSION_SECRET: randomBytes(24).toString('hex'),
    MAILBOX_DIR: path.join(tmp, 'mailbox'),
    SIGNATURE_RATE_LIMIT: '1000000',
    // The run checks that every letter to the permanently refusing addressee is recorded as failed,
    // so it must not be paused automatically (the pause has its own tests in bounces*.test.ts).
    ADDRESSEE_HARD_BOUNCE_LIMIT: '1000000',
    COUNTER_FLUSH_MS: '500',
    RECONCILE_EVERY_MS: '2000',
    RECONCILE_GRACE_SECONDS: '10',
    JOB_BACKOFF_MS: '1000',
  };
  Object.assign(process.env, { DATABASE_URL: postgres.url, REDIS_URL: redis.url, PUBLIC_URL: baseUrl, NODE_ENV: 'test' });
  const { migrateDeploy } = await import('../../prisma/migrate.ts');
  await migrateDeploy(postgres.url);
  const campaign = await createCampaignUnderTest(runId, refusedAddress);
  const { disconnectDb } = await import('../../app/utils/db.server.ts');
  await disconnectDb();
  const { messageIdFor } = await import('../../emails/transport.server.ts');
  log(`campaign /c/${campaign.slug}: letters to ${campaign.letters.email}, always-550 ${campaign.refused.email}, digest to ${campaign.digest.email}`);

  // Web and worker.
  const appLog = ChaosApp.open(path.join(outputDir, 'app.log'));
  cleanups.push({ what: 'app log', run: () => new Promise((resolve) => appLog.end(resolve)) });
  const app = new ChaosApp(baseUrl, appEnv, appLog);
  cleanups.push({ what: 'web and worker', run: () => app.stop() });
  await app.start();
  log(`web on ${baseUrl}, worker running`);

  // Notice a process that dies without being told to (and start it again, so the run goes on).
  const unexpectedExits: string[] = [];
  const watchdog = setInterval(() => {
    for (const p of [app.web, app.worker]) {
      if (p.alive || p.downOnPurpose) continue;
      unexpectedExits.push(`${p.name} at +${seconds(Date.now() - started)}`);
      log(`${p.name} exited by itself; starting it again\n${p.lastLines()}`);
      void (p.name === 'web' ? app.startWeb() : app.startWorker()).catch((error) => log(`could not restart ${p.name}: ${error.message}`));
    }
  }, 500);
  cleanups.push({ what: 'watchdog', run: async () => clearInterval(watchdog) });

  // Signers, and the fault schedule spread over the time they take.
  const driver = new SignerDriver({ baseUrl, slug: campaign.slug, runId, stepDeadlineMs: 180_000, mailWaitMs: 300_000, retryMs: 1_000 });
  smtp.onAccept((mail) => driver.deliver(mail));
  const driveMs = (options.signers / options.rate) * 1000;
  const hardDeadline = started + driveMs + 300_000 + 2 * 180_000 + options.settleMs;
  const overdue = () => Date.now() > hardDeadline;
  const ctx: FaultContext = { app, postgres, redis, smtp, letterAddress: campaign.letters.email, timing: options.timing };

  const progress = setInterval(() => {
    const done = driver.signers.filter((s) => s.confirmedAt || s.gaveUp).length;
    log(`signers started ${driver.signers.length}/${options.signers}, finished ${done}; emails accepted ${smtp.accepted.length}`);
  }, 15_000);
  cleanups.push({ what: 'progress', run: async () => clearInterval(progress) });

  const drive = driver.drive(options.signers, options.rate, overdue);
  const faults: FaultRecord[] = await runSchedule(ctx, driveMs, overdue, log);
  await drive;
  // Every fault restores what it broke; should one have failed to, the settle phase still needs these.
  if (!app.worker.alive) {
    log('the worker was not running after the faults; starting it');
    await app.startWorker();
  }
  if (!(await postgres.answers())) await postgres.start();
  if (!(await redis.answers())) await redis.start();
  const driveEnded = Date.now();
  clearInterval(progress);
  log(`signers done: ${driver.signers.filter((s) => s.confirmedAt).length} confirmed, ${driver.signers.filter((s) => s.gaveUp).length} gave up`);

  // Wait until nothing is owed any more (bounded), then read everything.
  const client = new pg.Client({ connectionString: postgres.url });
  client.on('error', () => {});
  await client.connect();
  cleanups.push({ what: 'report connection', run: () => client.end() });
  const queues = await workQueues(redis.port);
  cleanups.push({ what: 'queue connections', run: () => Promise.all(queues.map((q) => q.close())) });
  const settled = await settle(client, queues, campaign.id, () => smtp.accepted.at(-1)?.at ?? 0, driveEnded);
  log(settled.ok ? `settled after ${seconds(settled.afterMs)}` : `NOT settled after ${seconds(settled.afterMs)}: ${settled.owed}`);

  const db = await snapshot(client, campaign.id);
  const view = await publicView(baseUrl, campaign, db);
  const figures = computeFigures({
    campaign,
    signers: driver.signers,
    answers: driver.answers,
    accepted: smtp.accepted,
    refused: smtp.refused,
    db,
    view,
    faults,
    confirmationMessageId: (s) => messageIdFor(`confirm-${s.id}-${s.confirmationRequestedAt.getTime()}`),
    settled,
    unexpectedExits,
    elapsedMs: Date.now() - started,
  });
  const total = figures.defects.reduce((sum, [, n]) => sum + n, 0);
  const nonZero = figures.defects.filter(([, n]) => n > 0);
  const summary = [
    '',
    `Chaos run: ${options.signers} signers at ${options.rate}/s, ${faults.filter((f) => f.injected).length} faults, ${seconds(Date.now() - started)}`,
    ...figures.lines,
    nonZero.length ? `DEFECTS: ${nonZero.map(([name, n]) => `${name} ${n}`).join(', ')}` : 'All defect figures are 0.',
    '',
  ].join('\n');
  console.log(summary);
  await writeFile(path.join(outputDir, 'report.txt'), summary);
  await writeFile(path.join(outputDir, 'report.json'), JSON.stringify({ options, ...figures.json }, null, 2));
  await copyFile(postgres.logFile, path.join(outputDir, 'postgres.log')).catch(() => {});
  return total > 0 ? 1 : 0;
}

async function createCampaignUnderTest(runId: string, refusedAddress: string): Promise<CampaignUnderTest> {
  const { createCampaign } = await import('../setup/factories.ts');
  const created = await createCampaign({
    slug: `chaos-${runId}`,
    addressees: [
      { name: 'Office of the President', email: `president-${runId}@chaos.example.org`, deliveryMode: 'PER_SIGNATURE', lettersPerHour: 1_000_000 },
      { name: 'Ministry of Justice', email: refusedAddress, deliveryMode: 'PER_SIGNATURE', lettersPerHour: 1_000_000 },
      { name: "Prosecutor General's Office", email: `prosecutor-${runId}@chaos.example.org`, deliveryMode: 'DIGEST', digestIntervalMinutes: options.digestMinutes },
    ],
  });
  const [letters, refused, digest] = created.addressees;
  return {
    id: created.id,
    slug: created.slug,
    letters: { id: letters.id, email: letters.email },
    refused: { id: refused.id, email: refused.email },
    digest: { id: digest.id, email: digest.email },
  };
}

/** Every BullMQ queue of the deployment except maintenance (its schedulers always hold a delayed job). */
async function workQueues(port: number): Promise<Queue[]> {
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
  const client = new Redis(port, '127.0.0.1');
  const names = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', 'chorus:*:meta', 'COUNT', 1000);
    cursor = next;
    for (const key of keys) names.add(key.split(':')[1]);
  } while (cursor !== '0');
  client.disconnect();
  names.delete('maintenance');
  return [...names].sort().map((name) => new Queue(name, { connection, prefix: 'chorus' }));
}

/** What the database and the queues still owe; empty when everything is done. */
async function owedWork(client: pg.Client, queues: Queue[], campaignId: string): Promise<string> {
  const { rows } = await client.query<Record<string, string>>(
    `SELECT
       (SELECT count(*) FROM "Signature" s WHERE s."campaignId" = $1 AND s.status = 'PENDING'
          AND (s."confirmationSentAt" IS NULL OR s."confirmationSentAt" < s."confirmationRequestedAt")
          AND (s."confirmationFailedAt" IS NULL OR s."confirmationFailedAt" < s."confirmationRequestedAt")) AS confirmations,
       (SELECT count(*) FROM "Signature" s JOIN "Addressee" a ON a."campaignId" = s."campaignId"
          WHERE s."campaignId" = $1 AND s.status = 'CONFIRMED'
          AND NOT EXISTS (SELECT 1 FROM "DeliveryItem" i WHERE i."addresseeId" = a.id AND i."signatureId" = s.id)) AS undelivered,
       (SELECT count(*) FROM "Delivery" d JOIN "Addressee" a ON a.id = d."addresseeId"
          WHERE a."campaignId" = $1 AND d.status = 'PENDING') AS "pending deliveries",
       (SELECT count(*) FROM "Signature" s WHERE s."campaignId" = $1 AND s.status = 'CONFIRMED' AND s."countedAt" IS NULL) AS uncounted`,
    [campaignId],
  );
  const owed = Object.entries(rows[0]).filter(([, n]) => Number(n) > 0).map(([what, n]) => `${n} ${what}`);
  for (const q of queues) {
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const jobs = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (jobs > 0) owed.push(`${jobs} ${q.name} jobs`);
  }
  return owed.join(', ');
}

/** Polls until nothing is owed twice in a row and no email was accepted for 3 s, for at most settleMs. */
async function settle(client: pg.Client, queues: Queue[], campaignId: string, lastAccept: () => number, from: number) {
  let owed = 'not checked yet';
  let quietChecks = 0;
  while (Date.now() - from < options.settleMs) {
    owed = await owedWork(client, queues, campaignId).catch((error) => `cannot check: ${(error as Error).message}`);
    quietChecks = owed === '' && Date.now() - lastAccept() > 3_000 ? quietChecks + 1 : 0;
    if (quietChecks >= 2) return { ok: true, afterMs: Date.now() - from, owed };
    await sleep(1_000);
  }
  return { ok: false, afterMs: Date.now() - from, owed };
}

/** The campaign page and count may lag by a few seconds (counter flush, caches): read until they agree, bounded. */
async function publicView(baseUrl: string, campaign: CampaignUnderTest, db: Awaited<ReturnType<typeof snapshot>>) {
  const order = [campaign.letters.id, campaign.refused.id, campaign.digest.id];
  const confirmed = db.signatures.filter((s) => s.status === 'CONFIRMED').length;
  let view = await readPublicView(baseUrl, campaign.slug, order);
  for (let i = 0; i < 15 && view.count !== confirmed; i++) {
    await sleep(1_000);
    view = await readPublicView(baseUrl, campaign.slug, order);
  }
  return view;
}

const timer = setTimeout(() => {
  console.error('[chaos] the run took too long; stopping everything');
  void cleanUp().then(() => process.exit(2));
}, 60 * 60_000);
timer.unref();

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`[chaos] failed: ${(error as Error).stack ?? error}`);
    await cleanUp();
    process.exit(2);
  });
