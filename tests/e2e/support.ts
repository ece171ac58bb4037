// Helpers shared by the e2e tests: the app and browser for a test file, a cuttable TCP proxy, and
// SMTP server control.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startApp, type RunningApp } from '../setup/app-processes.ts';
import { TestSmtpServer, type CapturedMail } from '../setup/smtp.ts';

export { TcpProxy } from '../setup/tcp-proxy.ts';

/** Where the tests save screenshots (created by useBrowserApp). */
export const outputDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'output');

export type AppOptions = {
  /**
   * Environment for the app's processes only. A function is called in beforeAll, after the
   * file's own earlier beforeAll hooks (outages.test.ts starts its proxies there).
   */
  appEnv?: Record<string, string> | (() => Record<string, string>);
  /** Seed the demo campaign into the file's database first (default true). */
  seed?: boolean;
};

export type E2eApp = {
  /** The web and worker processes. */
  app: RunningApp;
  /** The SMTP server the app sends through. A test may replace it; the one here at the end is stopped. */
  smtp: TestSmtpServer;
};

export type E2eBrowserApp = E2eApp & {
  browser: Browser;
  /** A context from newContext(), and a page in it. */
  context: BrowserContext;
  page: Page;
  /**
   * A context as the tests use them: en-GB, 1280×900, 15 s timeouts, React commits tracked (see
   * waitForHydration), its pages' errors and console logged for a failing test. Closed after the file.
   */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
};

async function startAppAndSmtp(e2e: E2eApp, options: AppOptions) {
  e2e.smtp = new TestSmtpServer();
  const smtpUrl = await e2e.smtp.start();
  const env = typeof options.appEnv === 'function' ? options.appEnv() : options.appEnv;
  e2e.app = await startApp({ smtpUrl, seed: options.seed, env });
}

/**
 * The real app (web + worker) and the SMTP server it sends through, for this test file: started in
 * beforeAll (the returned object's properties are filled in then), the app's output printed when a
 * test fails, both stopped in afterAll.
 */
export function useApp(options: AppOptions = {}): E2eApp {
  const e2e = {} as E2eApp;
  beforeAll(() => startAppAndSmtp(e2e, options));
  afterEach((ctx) => e2e.app?.reportIfFailed(ctx));
  afterAll(async () => {
    await e2e.app?.stop();
    await e2e.smtp?.stop();
  });
  return e2e;
}

/**
 * useApp() plus headless Chromium with a context and a page (`contextOptions` adds to every
 * context's defaults). When a test fails, the app's output and the browser's log are printed.
 */
export function useBrowserApp(options: AppOptions & { contextOptions?: BrowserContextOptions } = {}): E2eBrowserApp {
  const browserLog: string[] = [];
  const contexts: BrowserContext[] = [];
  const e2e = {
    async newContext(extra: BrowserContextOptions = {}) {
      const context = await e2e.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, ...options.contextOptions, ...extra });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      await trackReactCommits(context);
      context.on('page', (page) => {
        page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
        page.on('console', (message) => browserLog.push(`[console.${message.type()}] ${message.text()}`));
      });
      return context;
    },
  } as E2eBrowserApp;

  beforeAll(async () => {
    await mkdir(outputDir, { recursive: true });
    // Kept as soon as it is up, so afterAll closes it even if the app fails to start.
    const browser = launchBrowser().then((b) => (e2e.browser = b));
    await Promise.all([startAppAndSmtp(e2e, options), browser]);
    e2e.context = await e2e.newContext();
    e2e.page = await e2e.context.newPage();
  });

  afterEach((ctx) => {
    e2e.app?.reportIfFailed(ctx);
    if (!ctx.task.fails && ctx.task.result?.errors?.length && browserLog.length) process.stderr.write(`--- browser ---\n${browserLog.join('\n')}\n`);
    browserLog.length = 0;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await e2e.browser?.close().catch(() => {});
    await e2e.app?.stop();
    await e2e.smtp?.stop();
  });

  return e2e;
}

/** The system Chromium (installed by apt); never a downloaded one. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Lets a test wait until React has hydrated a page. Playwright's "load" comes before hydration
 * (Remix hydrates inside startTransition), and a hydration mismatch makes React throw the server
 * HTML away and render the document again on the client, wiping anything typed in between.
 * A minimal React DevTools hook counts React commits; the first commit is the final DOM.
 */
export async function trackReactCommits(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __e2eReactCommits: number; __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown };
    w.__e2eReactCommits = 0;
    w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      checkDCE: () => {},
      onScheduleFiberRoot: () => {},
      onCommitFiberRoot: () => {
        w.__e2eReactCommits += 1;
      },
      onCommitFiberUnmount: () => {},
      onPostCommitFiberRoot: () => {},
    };
  });
}

export async function waitForHydration(page: Page, timeoutMs = 15_000) {
  await page.waitForFunction(() => (window as unknown as { __e2eReactCommits?: number }).__e2eReactCommits! > 0, undefined, {
    timeout: timeoutMs,
  });
}

/**
 * Registers at /register and signs in with the emailed link, whose page only shows a Sign in button
 * (opening a link must not sign in: mail scanners open links); ends on the dashboard. Returns the link.
 */
export async function registerAndSignIn(e2e: E2eApp, page: Page, person: { name: string; email: string }): Promise<string> {
  await page.goto(`${e2e.app.baseUrl}/register`);
  await waitForHydration(page);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('button', { name: 'Register and email me a sign-in link' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();

  const mail = await e2e.smtp.waitFor((m) => m.envelopeTo.includes(person.email) && /sign-in link/.test(m.subject ?? ''));
  const link = mail.text?.match(/https?:\/\/\S+\/sign-in\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, 'a sign-in link in the email').toBeTruthy();
  await page.goto(e2e.app.baseUrl + new URL(link!).pathname);
  await waitForHydration(page);
  await page.getByText(`Signing in as ${person.email}`).waitFor();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/dashboard');
  await page.getByRole('heading', { level: 1, name: 'Your campaigns' }).waitFor();
  return link!;
}

/**
 * Stops a TestSmtpServer at once. Its own stop() waits up to 30 s for clients to hang up, and the
 * app's pooled SMTP connections never do; like a crashed server, this drops them.
 */
export async function stopSmtpNow(smtp: TestSmtpServer) {
  const inner = (smtp as unknown as { server: SMTPServer & { connections: Set<{ close(): void }> } }).server;
  const stopped = smtp.stop();
  for (const connection of inner.connections) connection.close();
  await stopped;
}

/** A new TestSmtpServer on a given port (TestSmtpServer.start() only takes a free one). */
export async function startSmtpOn(port: number): Promise<TestSmtpServer> {
  const smtp = new TestSmtpServer();
  const inner = (smtp as unknown as { server: SMTPServer & { server: Server } }).server;
  await new Promise<void>((resolve, reject) => {
    inner.server.once('error', reject);
    inner.listen(port, '127.0.0.1', () => resolve());
  });
  smtp.port = port;
  return smtp;
}

/** The first message to `address` (already received or arriving), with a useful error if none comes. */
export async function mailTo(smtp: TestSmtpServer, address: string, what: string, timeoutMs = 20_000): Promise<CapturedMail> {
  try {
    return await smtp.waitFor((m) => m.envelopeTo.includes(address), timeoutMs);
  } catch {
    const seen = smtp.messages.map((m) => `${m.envelopeTo.join(',')}: ${m.subject}`).join('\n  ') || '(none)';
    throw new Error(`${what} (to ${address}) did not arrive within ${timeoutMs} ms. Messages received:\n  ${seen}`);
  }
}
