// `npm run bench`: how many sign submissions and campaign page views one web process serves,
// next to a bare Node http server on the same machine.
//
//   BENCH_SECONDS=30          measured seconds per scenario (a short warm-up runs before each)
//   BENCH_WARMUP_SECONDS=3    unmeasured warm-up per scenario (0 to skip)
//   BENCH_CONNECTIONS=50      autocannon connections (pipelining 1)
//   BENCH_SCENARIOS=baseline,page,sign   which scenarios to run, in this order
//   BENCH_WORKER=1            also run the BullMQ worker (with an SMTP sink) during the runs
//   BENCH_CPU_PROF=<dir>      run the web process with --cpu-prof; the profile is written to <dir> on exit
//                             with windows.json, the measured periods (summarise: npx tsx tests/bench/profile-summary.ts <dir>)
//   BENCH_QUIET_WAIT_SECONDS=60  before each scenario, wait up to this long for other processes on the machine to go quiet
//   BENCH_RETRIES=3           run a scenario again (up to this many times) when other processes disturbed it
//   BENCH_DATABASE_URL        server to create the chorus_bench database on (postgresql://postgres@127.0.0.1:5432/)
//   REDIS_URL                 Redis for rate limits and queues (redis://127.0.0.1:6379); keys under a bench_<time> prefix
//
// Page views run before sign submissions: the sign run leaves thousands of rows, WAL and dirty pages behind,
// and the checkpoint and autovacuum that follow would otherwise land in the page-view run.
// The machine is shared: before each scenario the run waits for other processes to go quiet, cuts short and
// repeats a run they disturb, and flags any result measured while they were busy.
//
// Everything it starts (web process, worker, baseline server, database, Redis keys, temp dir) is
// removed again at the end, on failure, on Ctrl-C, and when the whole run exceeds its time budget.
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Redis } from 'ioredis';
import pg from 'pg';
import { cpuShare, cpuSnapshot, RssSampler, vmKb, type CpuSnapshot } from './proc.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// --- configuration -------------------------------------------------------------------------------

const DURATION = positive('BENCH_SECONDS', 30);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
const WITH_WORKER = process.env.BENCH_WORKER === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'baseline,page,sign').split(',').map((s) => s.trim()).filter(Boolean) as ScenarioKey[];
const DATABASE_NAME = 'chorus_bench';
const BASE_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `bench_${Date.now()}`;
const HASH_SECRET = randomBytes(32).toString('base64url');
const CORES = os.availableParallelism();
/** Before each scenario, wait up to this long for other processes to use less than QUIET_THRESHOLD % of a core. */
const QUIET_WAIT_SECONDS = Number(process.env.BENCH_QUIET_WAIT_SECONDS ?? 60);
const QUIET_THRESHOLD = 20;
/** A scenario disturbed by other processes (over QUIET_THRESHOLD) is run again up to this many times; the calmest run counts. */
const RETRIES = Number(process.env.BENCH_RETRIES ?? 3);
/** The whole run, set-up included, must finish within this; then everything is stopped. */
const BUDGET_MS = ((WARMUP + (DURATION + QUIET_WAIT_SECONDS + 20) * (1 + RETRIES)) * SCENARIOS.length + 180) * 1000;

type ScenarioKey = 'baseline' | 'sign' | 'page';
const LABEL: Record<ScenarioKey, string> = {
  baseline: 'Bare Node http (fixed HTML)',
  sign: 'Sign (POST, unique email each)',
  page: 'Campaign page view (GET)',
};

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

for (const s of SCENARIOS) if (!(s in LABEL)) throw new Error(`BENCH_SCENARIOS: unknown scenario "${s}" (baseline, sign, page)`);

function databaseUrl(name: string): string {
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

// --- clean-up ------------------------------------------------------------------------------------

const cleanups: Array<{ name: string; fn: () => Promise<unknown> }> = [];
let cleaningUp: Promise<void> | null = null;

function onCleanup(name: string, fn: () => Promise<unknown>) {
  cleanups.push({ name, fn });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs every clean-up step once, newest first; a failing step is reported and the rest still run. */
function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    activeCannon?.stop();
    for (const { name, fn } of cleanups.reverse()) {
      await withTimeout(fn(), 20_000, name).catch((error) => console.error(`[bench] clean-up "${name}" failed: ${(error as Error).message}`));
    }
  })();
  return cleaningUp;
}

async function exit(code: number): Promise<never> {
  await cleanUp();
  process.exit(code);
}

const budget = setTimeout(() => {
  console.error(`[bench] the run exceeded its budget of ${Math.round(BUDGET_MS / 1000)} s; stopping everything.`);
  void exit(2);
}, BUDGET_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`[bench] ${signal}: stopping everything.`);
    void exit(130);
  });
}

// --- helpers -------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function withPg<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts a Node process from the project root; its output is shown, prefixed, up to a limit. */
function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  const show = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lines += 1;
      if (lines <= 20) console.error(`  [${name}] ${line}`);
      else if (lines === 21) console.error(`  [${name}] … (further output not shown)`);
    }
  };
  child.stdout!.on('data', show);
  child.stderr!.on('data', show);
  onCleanup(`stop ${name}`, () => stopChild(child));
  return child;
}

/** SIGTERM (the processes finish their work and exit), then SIGKILL after 15 s. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the web process exited (${child.signalCode ?? child.exitCode}) before answering`);
    const res = await fetch(url).catch(() => null);
    if (res?.ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** A bare Node http server on its own thread (as the web process has its own), answering fixed HTML. */
async function startBaselineServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const http = require('node:http');
    const body = Buffer.from('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chorus</title></head><body><h1>Hello</h1><p>A fixed, small page.</p></body></html>');
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  `;
  const worker = new Worker(code, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { port, close: async () => void (await worker.terminate()) };
}

/** The commit measured, and whether the code the web process runs has uncommitted changes. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'app', 'server.ts', 'prisma', 'emails', 'workers', 'package-lock.json') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown revision';
  }
}

/** Microseconds on the monotonic clock V8 stamps CPU profiles with (CLOCK_MONOTONIC on Linux). */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const profileWindows: Array<{ scenario: ScenarioKey; attempt: number; aborted: boolean; startUs: number; endUs: number }> = [];

// --- load ----------------------------------------------------------------------------------------

const NAMES = ['Әлия Нұрғалиқызы', 'Ерболат Қасымұлы', 'Гүлнұр Сәрсенбаева', 'Іңкәр Өтегенова', 'Ұлжан Үсенова', 'Айбек Жұмабекұлы'];
const CITIES = ['Алматы', 'Астана', 'Шымкент', 'Қарағанды', 'Өскемен', 'Тараз'];

function signBody(prefix: string, n: number): string {
  const form = new URLSearchParams({
    fullName: NAMES[n % NAMES.length],
    email: `${prefix}-${n}@example.org`,
    city: CITIES[n % CITIES.length],
    country: 'KZ',
    comment: n % 3 === 0 ? 'Сөз бостандығы — бәрімізге ортақ.' : '',
    consent: 'on',
  });
  if (n % 2 === 0) form.set('showName', 'on');
  if (n % 4 === 0) form.set('wantsUpdates', 'on');
  return form.toString();
}

/** Which sign requests were sent and which were answered with a 303, by email number. */
class SignLedger {
  private next = 0;
  readonly inFlight = new Set<number>();
  readonly accepted = new Set<number>();
  readonly otherStatuses = new Map<number, number>();
  wrongLocation = 0;

  constructor(readonly prefix: string, readonly slug: string) {}

  request(): autocannon.Request {
    return {
      method: 'POST',
      path: `/c/${this.slug}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      setupRequest: (req, context) => {
        const n = ++this.next;
        (context as { n?: number }).n = n;
        this.inFlight.add(n);
        return { ...req, body: signBody(this.prefix, n) };
      },
      onResponse: (status, _body, context, headers) => {
        const n = (context as { n?: number }).n;
        if (n === undefined) return;
        this.inFlight.delete(n);
        if (status === 303) {
          this.accepted.add(n);
          const location = String((headers as Record<string, unknown>)?.location ?? (headers as Record<string, unknown>)?.Location ?? '');
          if (!location.endsWith(`/c/${this.slug}/check-email`)) this.wrongLocation += 1;
        } else {
          this.otherStatuses.set(status, (this.otherStatuses.get(status) ?? 0) + 1);
        }
      },
    };
  }
}

let activeCannon: autocannon.Instance | null = null;

function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    activeCannon = autocannon({ connections: CONNECTIONS, pipelining: 1, ...options }, (error, result) => {
      activeCannon = null;
      if (error) reject(error);
      else resolve(result);
    });
  });
}

// --- a quiet machine ------------------------------------------------------------------------------

/**
 * CPU used by processes other than ours (PostgreSQL and Redis included, as nothing of ours is running),
 * in % of one core, over one second.
 */
async function foreignLoad(pids: { web?: number; worker?: number }): Promise<number> {
  const a = cpuSnapshot(pids);
  await sleep(1_000);
  const share = new Map(cpuShare(a, cpuSnapshot(pids), CORES));
  return (share.get('other') ?? 0) + (share.get('postgres') ?? 0) + (share.get('redis') ?? 0);
}

/** Waits (up to QUIET_WAIT_SECONDS) until other processes leave the machine mostly idle. */
async function waitForQuiet(pids: { web?: number; worker?: number }): Promise<number> {
  const started = Date.now();
  let load = await foreignLoad(pids);
  let told = false;
  while (load > QUIET_THRESHOLD && Date.now() - started < QUIET_WAIT_SECONDS * 1000) {
    if (!told) console.log(`[bench] other processes are using ${fmt(load)}% of a core; waiting up to ${QUIET_WAIT_SECONDS} s for the machine to quieten …`);
    told = true;
    load = await foreignLoad(pids);
  }
  if (told) console.log(`[bench] ${load > QUIET_THRESHOLD ? 'still busy' : 'quiet now'} (${fmt(load)}% of a core used by other processes)`);
  return load;
}

// --- PostgreSQL wait sampling --------------------------------------------------------------------

/** Samples pg_stat_activity for the bench database every 100 ms: what its backends are doing. */
class PgActivitySampler {
  private counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private client = new pg.Client({ connectionString: databaseUrl('postgres') });

  async start() {
    await this.client.connect();
    this.timer = setInterval(() => void this.sample(), 100);
  }

  private async sample() {
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ what: string; n: number }>(
        `SELECT CASE WHEN state = 'active' THEN 'active: ' || coalesce(wait_event_type || '/' || wait_event, 'on CPU')
                     ELSE coalesce(state, 'unknown') END AS what, count(*)::int AS n
           FROM pg_stat_activity
          WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
          GROUP BY 1`,
        [DATABASE_NAME],
      );
      this.samples += 1;
      for (const row of rows) this.counts.set(row.what, (this.counts.get(row.what) ?? 0) + row.n);
    } catch {
      // a missed sample changes nothing
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<string> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await sleep(10);
    await this.client.end().catch(() => {});
    if (this.samples === 0) return 'no samples';
    const parts = [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => `${what} ${(n / this.samples).toFixed(1)}`);
    return `average backends per state (of the web pool's connections): ${parts.join(', ')}`;
  }
}

// --- results -------------------------------------------------------------------------------------

type Outcome = {
  key: ScenarioKey;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  duration: number;
  errors: number;
  timeouts: number;
  outside2xx3xx: number;
  codes: string;
  codeCounts: Record<string, number>;
  peakRssMb: number | null;
  cpu: Array<[string, number]>;
  notes: string[];
  /** CPU used by processes not part of the benchmark, % of one core. */
  other: number;
  noisy?: number;
  attempt: number;
  aborted: boolean;
  signCheck?: { rows: number; accepted: number; ok: boolean };
};

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (kb: number | null) => (kb === null ? null : kb / 1024);

function summarise(key: ScenarioKey, result: autocannon.Result): Outcome {
  const stats = (result.statusCodeStats ?? {}) as Record<string, { count?: number }>;
  const codes = Object.entries(stats)
    .map(([code, s]) => `${code}×${fmt(s.count ?? 0)}`)
    .join(', ');
  return {
    key,
    rps: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: (result as unknown as { totalCompletedRequests: number }).totalCompletedRequests ?? result.requests.total,
    duration: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    outside2xx3xx: result['1xx'] + result['4xx'] + result['5xx'],
    codes: codes || 'none',
    codeCounts: Object.fromEntries(Object.entries(stats).map(([code, s]) => [code, s.count ?? 0])),
    peakRssMb: null,
    other: 0,
    attempt: 1,
    aborted: false,
    cpu: [],
    notes: [],
  };
}

function ratio(outcome: Outcome, baseline: Outcome | undefined): string {
  if (!baseline || baseline.rps <= 0) return 'n/a';
  const r = outcome.rps / baseline.rps;
  return `${r >= 0.1 ? r.toFixed(2) : r.toFixed(3)}×`;
}

function printOutcome(o: Outcome, baseline: Outcome | undefined) {
  console.log(`\n## ${LABEL[o.key]}`);
  console.log(`  requests/s (mean)   ${fmt(o.rps, 1)}${o.key === 'baseline' ? '' : `   (${ratio(o, baseline)} bare node)`}`);
  console.log(`  latency p50 / p99   ${fmt(o.p50, 1)} ms / ${fmt(o.p99, 1)} ms`);
  console.log(`  responses           ${fmt(o.total)} in ${o.duration} s; status codes: ${o.codes}`);
  console.log(`  errors              ${fmt(o.errors)} (timeouts ${fmt(o.timeouts)}); responses outside 2xx/3xx: ${fmt(o.outside2xx3xx)}`);
  if (o.peakRssMb !== null) console.log(`  web peak RSS        ${fmt(o.peakRssMb, 1)} MB (during this scenario)`);
  if (o.cpu.length) {
    console.log(`  CPU, % of one core  ${o.cpu.map(([name, pct]) => `${name} ${fmt(pct)}%`).join(', ')}  (${CORES} cores)`);
    if (o.key !== 'baseline' && o.total > 0) {
      // CPU milliseconds each response cost, per process group: what capacity planning needs.
      const per = o.cpu
        .filter(([name]) => ['web', 'worker', 'postgres', 'redis', 'bench'].includes(name))
        .map(([name, pct]) => `${name === 'bench' ? 'load generator' : name} ${((pct / 100) * o.duration * 1000 / o.total).toFixed(2)} ms`);
      console.log(`  CPU per response    ${per.join(', ')}`);
    }
  }
  for (const note of o.notes) console.log(`  ${note}`);
}

function markdownTable(outcomes: Outcome[], baseline: Outcome | undefined, peakRssMb: number | null, rev: string): string {
  const rows = [
    '| Scenario | Requests/s | vs bare Node | p50 latency | p99 latency | Errors / non-2xx-3xx | Web peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const o of outcomes) {
    rows.push(
      `| ${LABEL[o.key]} | ${fmt(o.rps)} | ${o.key === 'baseline' ? '1×' : ratio(o, baseline)} | ${fmt(o.p50, 1)} ms | ${fmt(o.p99, 1)} ms | ${fmt(o.errors)} / ${fmt(o.outside2xx3xx)} | ${o.key === 'baseline' || o.peakRssMb === null ? '—' : `${fmt(o.peakRssMb)} MB`} |`,
    );
  }
  const sign = outcomes.find((o) => o.signCheck);
  const footer = [
    `Chorus ${rev}; ${os.cpus()[0]?.model?.trim() ?? 'CPU'}, ${CORES} cores, Node ${process.version}; autocannon ${CONNECTIONS} connections, pipelining 1, ${DURATION} s per scenario after a ${WARMUP} s warm-up; load generator, web process, PostgreSQL and Redis on the same machine.`,
    `One web process (NODE_ENV=production); BullMQ worker ${WITH_WORKER ? 'running' : 'not running (confirmation jobs queue up in Redis)'}.`,
  ];
  if (sign?.signCheck) footer.push(`Signature rows vs 303 answers: ${sign.signCheck.ok ? 'MATCH' : 'MISMATCH'} (${fmt(sign.signCheck.rows)} rows, ${fmt(sign.signCheck.accepted)} answers).`);
  const noisy = outcomes.filter((o) => o.noisy);
  if (noisy.length) footer.push(`⚠ Other processes were busy during: ${noisy.map((o) => `${LABEL[o.key]} (${fmt(o.noisy!)}% of a core)`).join(', ')}.`);
  if (peakRssMb !== null) footer.push(`Web process peak RSS over the whole run: ${fmt(peakRssMb)} MB.`);
  return `${rows.join('\n')}\n\n${footer.join(' ')}`;
}

// --- the run -------------------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  const rev = revision();
  console.log(`[bench] Chorus ${rev}`);
  console.log(`[bench] ${SCENARIOS.join(', ')}: ${DURATION} s each after ${WARMUP} s warm-up, ${CONNECTIONS} connections, ${CORES} cores, Node ${process.version}`);

  // Database: fresh, migrated, seeded.
  onCleanup(`drop database ${DATABASE_NAME}`, () => withPg('postgres', (c) => c.query(`DROP DATABASE IF EXISTS "${DATABASE_NAME}" WITH (FORCE)`)));
  await withPg('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${DATABASE_NAME}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${DATABASE_NAME}"`);
  });
  const DATABASE_URL = databaseUrl(DATABASE_NAME);
  const { migrateDeploy } = await import('../../prisma/migrate.ts');
  const applied = await migrateDeploy(DATABASE_URL);
  Object.assign(process.env, { DATABASE_URL, REDIS_URL, QUEUE_PREFIX, HASH_SECRET });
  const { seedDemo } = await import('../../prisma/seed.ts');
  const { disconnectDb } = await import('../../app/utils/db.server.ts');
  const { slug } = await seedDemo();
  await disconnectDb();
  console.log(`[bench] database ${DATABASE_NAME}: ${applied.length} migration(s) applied, demo campaign /c/${slug}`);

  // Redis: everything under this run's prefix goes at the end.
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  onCleanup(`delete Redis keys ${QUEUE_PREFIX}:*`, async () => {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    await redis.quit();
    console.log(`[bench] deleted ${fmt(deleted)} Redis key(s) under ${QUEUE_PREFIX}:`);
  });

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-'));
  onCleanup('remove temp dir', async () => rmSync(tmp, { recursive: true, force: true }));

  // Mail: production requires SMTP_URL. The web process never sends mail; the worker (if any) sends to a sink.
  let smtpUrl = 'smtp://127.0.0.1:9';
  if (WITH_WORKER) {
    const { SMTPServer } = await import('smtp-server');
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        stream.on('end', () => callback());
        stream.resume();
      },
    });
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', () => resolve()));
    onCleanup('stop SMTP sink', () => new Promise<void>((resolve) => smtp.close(() => resolve())));
    smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
  }

  const webPort = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(webPort),
    PUBLIC_URL: `http://127.0.0.1:${webPort}`,
    DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX,
    HASH_SECRET,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SMTP_URL: smtpUrl,
    MAILBOX_DIR: path.join(tmp, 'mailbox'),
    SIGNATURE_RATE_LIMIT: '100000000',
  };
  const profArgs: string[] = [];
  if (CPU_PROF_DIR) {
    mkdirSync(CPU_PROF_DIR, { recursive: true });
    profArgs.push('--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`);
  }
  const web = startChild('web', [...profArgs, '--import', 'tsx', 'server.ts'], childEnv);
  await waitForHttp(`http://127.0.0.1:${webPort}/healthz`, web);
  const rss = new RssSampler(web.pid!);
  onCleanup('stop RSS sampler', async () => rss.stop());
  console.log(`[bench] web process ${web.pid} listening on ${webPort}${CPU_PROF_DIR ? ` (CPU profile to ${CPU_PROF_DIR})` : ''}`);

  let worker: ChildProcess | null = null;
  if (WITH_WORKER) {
    worker = startChild('worker', ['--import', 'tsx', 'workers/index.ts'], childEnv);
    await sleep(2_000);
    if (worker.exitCode !== null) throw new Error('the worker exited at start-up');
  }
  console.log(`[bench] BullMQ worker: ${WITH_WORKER ? `running (pid ${worker!.pid}, mail to an SMTP sink)` : 'NOT running — confirmation jobs accumulate in Redis; this measures the web path only'}`);

  const baselineServer = await startBaselineServer();
  onCleanup('stop baseline server', baselineServer.close);

  const pids = { web: web.pid, worker: worker?.pid };
  const webUrl = `http://127.0.0.1:${webPort}`;
  const outcomes: Outcome[] = [];

  const measure = async (key: ScenarioKey, options: autocannon.Options, attempt: number, before?: () => void): Promise<Outcome> => {
    if (WARMUP > 0 && attempt === 1) {
      const warm = await cannon({ ...options, ...(key === 'sign' ? { requests: [new SignLedger('warmup', slug).request()] } : {}), duration: WARMUP });
      console.log(`[bench] ${key}: warm-up ${fmt(warm.requests.mean)} req/s (not counted)`);
      await sleep(1_000);
    }
    await waitForQuiet(pids);
    before?.();
    rss.setPhase(key);
    const a: CpuSnapshot = cpuSnapshot(pids);
    const startUs = monotonicUs();
    // While attempts remain, a run that other processes keep disturbing is cut short and tried again.
    let aborted = false;
    let last = a;
    let disturbed = 0;
    const watch = setInterval(() => {
      const now = cpuSnapshot(pids);
      const other = new Map(cpuShare(last, now, CORES)).get('other') ?? 0;
      last = now;
      disturbed = other > 2 * QUIET_THRESHOLD ? disturbed + 1 : 0;
      if (disturbed >= 3 && attempt <= RETRIES && !aborted) {
        aborted = true;
        console.log(`[bench] ${key}: other processes are using ${fmt(other)}% of a core; stopping this attempt to try again`);
        activeCannon?.stop();
      }
    }, 1_000);
    const result = await cannon({ ...options, duration: DURATION }).finally(() => clearInterval(watch));
    const b = cpuSnapshot(pids);
    profileWindows.push({ scenario: key, attempt, aborted, startUs, endUs: monotonicUs() });
    rss.sample();
    const outcome = summarise(key, result);
    outcome.cpu = cpuShare(a, b, CORES);
    outcome.other = outcome.cpu.find(([name]) => name === 'other')?.[1] ?? 0;
    outcome.aborted = aborted;
    if (key !== 'baseline') outcome.peakRssMb = mb(rss.phasePeakKb.get(key) ?? null);
    rss.setPhase('');
    return outcome;
  };

  /** One measured sign run, with its own email prefix, checked against the database. */
  const measureSign = async (attempt: number): Promise<Outcome> => {
    const prefix = attempt === 1 ? 'bench' : `bench${attempt}`;
    const ledger = new SignLedger(prefix, slug);
    const sampler = new PgActivitySampler();
    const outcome = await measure('sign', { url: webUrl, requests: [ledger.request()] }, attempt, () => void sampler.start());
    const pgActivity = await sampler.stop();
    const cutOff = new Set(ledger.inFlight); // built or sent, unanswered when autocannon hung up

    // Let the web process finish what was in flight, then compare the database with the answers.
    const rows = await withPg(DATABASE_NAME, async (c) => {
      let last = -1;
      for (let stable = 0, i = 0; stable < 4 && i < 80; i++) {
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Signature" WHERE email LIKE $1`, [`${prefix}-%`]);
        stable = rows[0].n === last ? stable + 1 : 0;
        last = rows[0].n;
        await sleep(250);
      }
      const { rows } = await c.query<{ email: string }>(`SELECT email FROM "Signature" WHERE email LIKE $1`, [`${prefix}-%`]);
      return rows.map((r) => Number(r.email.slice(prefix.length + 1).split('@')[0]));
    });
    const stored = new Set(rows);
    const answered303 = outcome.codeCounts['303'] ?? 0;
    const missing = [...ledger.accepted].filter((n) => !stored.has(n)).length;
    const extra = rows.filter((n) => !ledger.accepted.has(n));
    const extraCutOff = extra.filter((n) => cutOff.has(n)).length;
    const unexplained = extra.length - extraCutOff;
    const exact = rows.length === answered303;
    const ok = missing === 0 && unexplained === 0 && rows.length === stored.size && answered303 === ledger.accepted.size;
    outcome.signCheck = { rows: rows.length, accepted: answered303, ok };
    outcome.notes.push(
      `signatures          ${fmt(rows.length)} rows in the database vs ${fmt(answered303)} 303 answers → ${ok ? 'MATCH' : 'MISMATCH'}` +
        (exact ? '' : ok ? ` (the ${fmt(extraCutOff)} extra row(s) are requests still in flight when autocannon hung up at the end: stored, answer never read)` : ''),
    );
    if (!ok) {
      outcome.notes.push(
        `                      ${fmt(missing)} answered 303 without a row; ${fmt(unexplained)} row(s) never answered and not in flight at the end; ` +
          `${fmt(ledger.accepted.size)} distinct accepted emails; ${fmt(rows.length - stored.size)} duplicate row(s)`,
      );
    }
    if (ledger.wrongLocation) outcome.notes.push(`                      ${fmt(ledger.wrongLocation)} 303 answer(s) did not point to /c/${slug}/check-email`);
    if (ledger.otherStatuses.size) outcome.notes.push(`                      other statuses: ${[...ledger.otherStatuses].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    const waiting = await redis.llen(`${QUEUE_PREFIX}:signatures:wait`).catch(() => null);
    if (waiting !== null) outcome.notes.push(`queue               ${fmt(waiting)} confirmation job(s) waiting in Redis (warm-up and earlier attempts included)`);
    outcome.notes.push(`PostgreSQL          ${pgActivity}`);
    return outcome;
  };

  const runOnce = (key: ScenarioKey, attempt: number): Promise<Outcome> => {
    if (key === 'baseline') return measure('baseline', { url: `http://127.0.0.1:${baselineServer.port}/` }, attempt);
    if (key === 'page') return measure('page', { url: `${webUrl}/c/${slug}`, headers: { accept: 'text/html' } }, attempt);
    return measureSign(attempt);
  };

  for (const key of SCENARIOS) {
    let best: Outcome | null = null;
    for (let attempt = 1; attempt <= 1 + RETRIES; attempt++) {
      console.log(`[bench] ${key}: running ${DURATION} s${attempt > 1 ? ` (attempt ${attempt})` : ''} …`);
      const outcome = await runOnce(key, attempt);
      outcome.attempt = attempt;
      const failedCheck = (o: Outcome | null) => !!o?.signCheck && !o.signCheck.ok;
      if (failedCheck(outcome)) {
        best = outcome; // a failed signature check always counts
        break;
      }
      // Otherwise the complete run least disturbed by other processes counts.
      if (!outcome.aborted && (!best || outcome.other < best.other)) best = outcome;
      if (!outcome.aborted && outcome.other <= QUIET_THRESHOLD) break;
      await sleep(1_000);
    }
    if (best!.other > QUIET_THRESHOLD) {
      best!.notes.push(`⚠ other processes on the machine used ${fmt(best!.other)}% of a core during this run: these numbers are pessimistic`);
      best!.noisy = best!.other;
    }
    if (best!.attempt > 1) best!.notes.push(`(attempt ${best!.attempt}; earlier attempts were disturbed by other processes)`);
    outcomes.push(best!);
    await sleep(1_000);
  }

  if (CPU_PROF_DIR) {
    // The profile's timestamps are on the same monotonic clock: profile-summary.ts keeps only these windows.
    writeFileSync(path.join(CPU_PROF_DIR, 'windows.json'), JSON.stringify(profileWindows, null, 2));
  }

  const peakKb = rss.peakKb;
  const hwmKb = vmKb(web.pid!, 'VmHWM');
  rss.stop();

  const baseline = outcomes.find((o) => o.key === 'baseline');
  console.log(`\n# Results (${fmt((Date.now() - t0) / 1000)} s in all)`);
  for (const key of ['baseline', 'sign', 'page'] as const) {
    const o = outcomes.find((x) => x.key === key);
    if (o) printOutcome(o, baseline);
  }
  console.log(`\nWeb process RSS: ${fmt(mb(rss.startKb) ?? 0, 1)} MB once started, peak ${fmt(mb(peakKb)!, 1)} MB sampled every 500 ms (kernel high-water mark VmHWM: ${hwmKb === null ? 'n/a' : `${fmt(hwmKb / 1024, 1)} MB`})`);
  console.log(`BullMQ worker: ${WITH_WORKER ? 'running during the runs' : 'not running during the runs (web path only)'}.`);

  const ordered = (['baseline', 'sign', 'page'] as const).map((k) => outcomes.find((o) => o.key === k)).filter((o): o is Outcome => !!o);
  console.log(`\n## Markdown\n\n${markdownTable(ordered, baseline, mb(peakKb), rev)}\n`);

  const failed = outcomes.some((o) => o.signCheck && !o.signCheck.ok);
  return failed ? 1 : 0;
}

main()
  .then(async (code) => {
    clearTimeout(budget);
    await exit(code);
  })
  .catch(async (error) => {
    console.error(`[bench] failed: ${(error as Error).stack ?? error}`);
    clearTimeout(budget);
    await exit(1);
  });
