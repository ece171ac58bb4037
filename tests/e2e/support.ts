// Helpers shared by the e2e tests: the browser, a cuttable TCP proxy, and SMTP server control.
import { mkdir } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { SMTPServer } from 'smtp-server';
import { TestSmtpServer, type CapturedMail } from '../setup/smtp.ts';

export const outputDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'output');

export async function ensureOutputDir() {
  await mkdir(outputDir, { recursive: true });
  return outputDir;
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
 * A TCP proxy on 127.0.0.1 in front of a real service. `cut()` closes the listening socket and
 * destroys every open connection, so the app sees the service go away (connection refused, open
 * connections reset); `restore()` listens again on the same port.
 */
export class TcpProxy {
  port = 0;
  private server: Server | null = null;
  private sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  get isUp() {
    return this.server !== null;
  }

  async start(port = 0): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  async cut() {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  async restore() {
    if (!this.server) await this.start(this.port);
  }

  async stop() {
    await this.cut();
  }
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
