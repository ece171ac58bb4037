// What a signer sees, and what happens to their signature, when PostgreSQL, Redis or the SMTP server
// goes away: real web and worker processes, with TCP proxies in front of PostgreSQL and Redis that
// the test cuts and restores, and a real SMTP server that it stops and starts again.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { demoCampaign } from '../../prisma/demo-campaign.ts';
import { confirmLinkFrom } from '../setup/smtp.ts';
import { TcpProxy, mailTo, startSmtpOn, stopSmtpNow, useBrowserApp, waitForHydration } from './support.ts';
import { eventually } from '../setup/wait.ts';

const slug = demoCampaign.slug;

// The reconciler leaves work younger than RECONCILE_GRACE_SECONDS (30 s by default) to its own job.
// A short grace keeps the Redis test quick; the behaviour under test is the same.
const RECONCILE_GRACE_SECONDS = 2;

let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let db: pg.Client;

function throughProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}

function targetOf(url: string, defaultPort: number) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || defaultPort) };
}

const databaseUrl = process.env.DATABASE_URL!;
const redisUrl = process.env.REDIS_URL!;

// Registered before useBrowserApp's hooks: the proxies are up before the app starts, and stopped
// after it has stopped.
beforeAll(async () => {
  pgProxy = new TcpProxy(targetOf(databaseUrl, 5432));
  redisProxy = new TcpProxy(targetOf(redisUrl, 6379));
  await Promise.all([pgProxy.start(), redisProxy.start()]);
  // The test's own view of the database, not through the proxy.
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end().catch(() => {});
  await pgProxy?.stop();
  await redisProxy?.stop();
});

const e2e = useBrowserApp({
  appEnv: () => ({
    DATABASE_URL: throughProxy(databaseUrl, pgProxy),
    REDIS_URL: throughProxy(redisUrl, redisProxy),
    RECONCILE_GRACE_SECONDS: String(RECONCILE_GRACE_SECONDS),
  }),
});

afterEach(async () => {
  // Whatever a test cut, the next one starts with everything up.
  await pgProxy?.restore();
  await redisProxy?.restore();
});

const newEmail = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.net`;

/** Posts the sign form as a browser without JavaScript would. */
async function sign(email: string) {
  const body = new URLSearchParams({
    fullName: 'Нұрғали Ақжігітов',
    email,
    city: 'Өскемен',
    country: 'KZ',
    comment: '',
    showName: 'on',
    consent: 'on',
    website: '',
  });
  const res = await fetch(`${e2e.app.baseUrl}/c/${slug}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    signal: AbortSignal.timeout(20_000),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    html: await res.text(),
  };
}

/** The text a reader sees in the page's <main>: no scripts (nor the data for hydration), no tags. */
function visibleText(html: string): string {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  return main
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

type Row = { id: string; status: string; confirmationSentAt: Date | null };

async function signatureRows(email: string): Promise<Row[]> {
  const { rows } = await db.query<Row>(`SELECT id, status::text, "confirmationSentAt" FROM "Signature" WHERE email = $1`, [email]);
  return rows;
}

async function health() {
  const res = await fetch(`${e2e.app.baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; database: boolean } };
}

async function databaseBackUp() {
  await eventually(async () => (await health()).body.database, { timeoutMs: 15_000, what: '/healthz to see the database again' });
}

describe('outages', () => {
  test('PostgreSQL down, in the browser: the signer is told nothing was recorded, keeps what they typed, and can send it again', async () => {
    const email = newEmail('pg-down-browser');
    const page = await e2e.context.newPage();
    await page.goto(`${e2e.app.baseUrl}/c/${slug}`);
    await waitForHydration(page);
    const form = page.getByRole('form', { name: 'Sign this campaign' });
    await form.getByLabel('Full name', { exact: true }).fill('Нұрғали Ақжігітов');
    await form.getByLabel('Email', { exact: true }).fill(email);
    await form.getByLabel('City or town', { exact: true }).fill('Өскемен');
    await form.getByLabel('Country', { exact: true }).selectOption('KZ');
    await form.getByLabel(/I agree that Chorus stores/).check();

    await pgProxy.cut();
    try {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith(`/c/${slug}`)),
        form.getByRole('button', { name: 'Sign' }).click(),
      ]);
      expect(response.status()).toBe(503);
      const alert = form.getByRole('alert');
      await alert.waitFor();
      await expect(alert.innerText()).resolves.toBe(
        'Your signature was NOT recorded: our database is not answering. Please try again in a few minutes.',
      );
      await expect(form.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe(email);
      await expect(form.getByLabel('City or town', { exact: true }).inputValue()).resolves.toBe('Өскемен');
      expect(new URL(page.url()).pathname).toBe(`/c/${slug}`);
      expect((await health()).body).toEqual({ ok: false, database: false });
    } finally {
      await pgProxy.restore();
    }
    expect(await signatureRows(email)).toEqual([]);

    // Back up: the same form, sent again, goes through.
    await databaseBackUp();
    await form.getByRole('button', { name: 'Sign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();
    const rows = await signatureRows(email);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('PENDING');
    const mail = await mailTo(e2e.smtp, email, 'The confirmation email');
    expect(confirmLinkFrom(mail).startsWith(`${e2e.app.baseUrl}/confirm/`)).toBe(true);
    await page.close();
  });

  test('PostgreSQL down, without JavaScript: the form POST answers 503 and writes nothing; once it is back, it answers 303', async () => {
    const email = newEmail('pg-down-post');
    await pgProxy.cut();
    try {
      const answer = await sign(email);
      expect(answer.status).toBe(503);
    } finally {
      await pgProxy.restore();
    }
    expect(await signatureRows(email)).toEqual([]);

    await databaseBackUp();
    const again = await sign(email);
    expect(again.status).toBe(303);
    expect(again.location).toBe(`/c/${slug}/check-email`);
    expect(await signatureRows(email)).toHaveLength(1);
  });

  // Without JavaScript, Remix runs the campaign loader after the action, and it fails too (the database
  // is down): the route's ErrorBoundary must still show the action's "NOT recorded" message.
  test('PostgreSQL down, without JavaScript: the 503 page says the signature was NOT recorded', async () => {
    await pgProxy.cut();
    try {
      const answer = await sign(newEmail('pg-down-text'));
      expect(visibleText(answer.html)).toContain('Your signature was NOT recorded');
    } finally {
      await pgProxy.restore();
    }
  });

  // With Single Fetch a resource route must return a Response of its own, or status and headers are lost.
  test('PostgreSQL down: /healthz answers 503', async () => {
    await pgProxy.cut();
    try {
      expect((await health()).status).toBe(503);
    } finally {
      await pgProxy.restore();
    }
  });

  test('Redis down: the signature is recorded and the signer sent on; the reconciler emails them once Redis is back', async () => {
    const email = newEmail('redis-down');
    await redisProxy.cut();
    let signatureId: string;
    try {
      const answer = await sign(email);
      expect(answer.status).toBe(303);
      expect(answer.location).toBe(`/c/${slug}/check-email`);
      const rows = await signatureRows(email);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'PENDING', confirmationSentAt: null });
      signatureId = rows[0].id;
      // The web process could not queue the email and said so; it is left to the reconciler.
      await e2e.app.waitForOutput(new RegExp(`confirmation for ${signatureId} deferred to the reconciler`), 5_000);
      expect(e2e.smtp.to(email)).toHaveLength(0);
    } finally {
      await redisProxy.restore();
    }

    const restoredAt = Date.now();
    const mail = await mailTo(e2e.smtp, email, 'The confirmation email, sent by the reconciler', 45_000);
    const waited = Date.now() - restoredAt;
    expect(e2e.smtp.to(email)).toHaveLength(1);
    await eventually(async () => (await signatureRows(email))[0]?.confirmationSentAt, { what: 'confirmationSentAt to be recorded' });

    // The link in the late email works: confirming it counts the signature.
    const confirmed = await fetch(confirmLinkFrom(mail), { method: 'POST', redirect: 'manual' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/c/${slug}/thank-you`);
    expect((await signatureRows(email))[0]).toMatchObject({ id: signatureId!, status: 'CONFIRMED' });
    console.log(`[outages] confirmation after Redis came back: ${waited} ms`);
  });

  test('SMTP server down: the confirmation is retried and arrives once the server is back', async () => {
    const email = newEmail('smtp-down');
    const port = e2e.smtp.port;
    await stopSmtpNow(e2e.smtp);
    try {
      const answer = await sign(email);
      expect(answer.status).toBe(303);
      expect(answer.location).toBe(`/c/${slug}/check-email`);
      const [row] = await signatureRows(email);
      expect(row).toMatchObject({ status: 'PENDING', confirmationSentAt: null });
      // The worker tried, could not connect, and scheduled a retry.
      await e2e.app.waitForOutput(new RegExp(`send-confirmation confirm_${row.id}_\\d+ failed \\(attempt 1\\)`), 15_000);
      expect((await signatureRows(email))[0].confirmationSentAt).toBeNull();
    } finally {
      // A new server on the same port, as after a restart of the mail server.
      e2e.smtp = await startSmtpOn(port);
    }

    const restartedAt = Date.now();
    const mail = await mailTo(e2e.smtp, email, 'The retried confirmation email', 40_000);
    expect(confirmLinkFrom(mail).startsWith(`${e2e.app.baseUrl}/confirm/`)).toBe(true);
    await eventually(async () => (await signatureRows(email))[0]?.confirmationSentAt, { what: 'confirmationSentAt to be recorded' });
    console.log(`[outages] confirmation after SMTP came back: ${Date.now() - restartedAt} ms`);
  });
});
