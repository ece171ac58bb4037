// The real app, as it runs in production: a web process and a worker process, started as children
// with the current test file's environment (set by isolated-env.ts). Used by the e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type AppOptions = {
  /** The test SMTP server the app sends through, e.g. `await smtp.start()`. */
  smtpUrl: string;
  /** Overrides for the children only (the test process keeps its own), e.g. DATABASE_URL through a proxy. */
  env?: Record<string, string>;
  /** Seed the demo campaign into the test file's database first (default true). */
  seed?: boolean;
  /** How long to wait for /healthz and the worker (default 60 s). */
  startTimeoutMs?: number;
};

export type RunningApp = {
  baseUrl: string;
  port: number;
  /** Everything both children have printed so far, prefixed with [web] / [worker]. */
  output(): string;
  /** Resolves when a line matching `pattern` has been printed (already, or later). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Prints the output if the test failed (or always, with DEBUG set). For afterEach(ctx => …). */
  reportIfFailed(context: { task: { name: string; fails?: boolean; result?: { state?: string; errors?: unknown[] } } }): void;
  /** SIGTERM both processes and wait for them to exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
};

const debug = () => !!process.env.DEBUG && process.env.DEBUG !== '0';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Child = { name: string; process: ChildProcess; exited: Promise<void> };

export async function startApp(options: AppOptions): Promise<RunningApp> {
  if (options.seed !== false) {
    // The test file's DATABASE_URL (the direct one, not a proxy) is already in process.env.
    const { seedDemo } = await import('../../prisma/seed.ts');
    await seedDemo();
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    SMTP_URL: options.smtpUrl,
    COUNTER_FLUSH_MS: '300',
    RECONCILE_EVERY_MS: '1000',
    ...options.env,
  };
  // vitest's own variables would make the children think they are test workers.
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];

  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const record = (name: string, chunk: Buffer) => {
    for (const raw of chunk.toString('utf8').split('\n')) {
      if (!raw.trim()) continue;
      const line = `[${name}] ${raw}`;
      lines.push(line);
      if (debug()) process.stderr.write(`${line}\n`);
      for (const w of [...waiters]) {
        if (w.pattern.test(raw)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(raw);
        }
      }
    }
  };

  const children: Child[] = [];
  const spawnChild = (name: string, script: string): Child => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => record(name, c));
    child.stderr!.on('data', (c: Buffer) => record(name, c));
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        lines.push(`[${name}] exited (${signal ?? code})`);
        resolve();
      });
    });
    return { name, process: child, exited };
  };

  const output = () => lines.join('\n');
  const waitForOutput = (pattern: RegExp, timeoutMs = 30_000) => {
    const found = lines.find((l) => pattern.test(l));
    if (found) return Promise.resolve(found);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`No output matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
      waiters.push(waiter);
    });
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(
      children.map(async (c) => {
        if (c.process.exitCode !== null || c.process.signalCode !== null) return;
        c.process.kill('SIGTERM');
        const killer = setTimeout(() => {
          lines.push(`[${c.name}] did not exit within 20 s of SIGTERM; killing it`);
          c.process.kill('SIGKILL');
        }, 20_000);
        await c.exited;
        clearTimeout(killer);
      }),
    );
  };

  children.push(spawnChild('web', 'server.ts'), spawnChild('worker', 'workers/index.ts'));

  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    const anyExit = Promise.race(children.map((c) => c.exited.then(() => c.name)));
    let exitedName: string | undefined;
    void anyExit.then((name) => (exitedName = name));
    // The web process is ready when /healthz answers 200 and says the database answers. (The body
    // is checked too: with Single Fetch, the route's 503 status is currently lost; see the report.)
    for (;;) {
      if (exitedName) throw new Error(`The ${exitedName} process exited during start-up`);
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      const body = res ? ((await res.json().catch(() => null)) as { ok?: boolean } | null) : null;
      if (res?.status === 200 && body?.ok === true) break;
      if (Date.now() > deadline) {
        throw new Error(`${baseUrl}/healthz did not answer 200 in time (last: ${res ? `${res.status} ${JSON.stringify(body)}` : 'no answer'})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // The worker is ready once it has registered its workers and schedules.
    await Promise.race([
      waitForOutput(/\[worker\] running/, Math.max(1_000, deadline - Date.now())),
      anyExit.then((name) => {
        throw new Error(`The ${name} process exited during start-up`);
      }),
    ]);
  } catch (error) {
    await stop();
    process.stderr.write(`\n--- app output ---\n${output()}\n--- end of app output ---\n`);
    throw error;
  }

  return {
    baseUrl,
    port,
    output,
    waitForOutput,
    reportIfFailed(context) {
      // In afterEach the state may still be 'run'; the errors are already there.
      const failed =
        !context.task.fails && (context.task.result?.state === 'fail' || (context.task.result?.errors?.length ?? 0) > 0);
      if (failed || debug()) {
        process.stderr.write(`\n--- app output (${context.task.name}) ---\n${output()}\n--- end of app output ---\n`);
      }
    },
    stop,
  };
}
