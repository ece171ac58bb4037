// Web and worker as separate processes, as in production (the build output + server.ts, and
// workers/index.ts). The worker can be killed with SIGKILL and started again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './time.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

class AppProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private tail: string[] = [];
  private waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  starts = 0;
  /** Set while the process is down on purpose (killed by a fault, stopping, not started yet). */
  downOnPurpose = true;

  constructor(
    readonly name: 'web' | 'worker',
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: WriteStream,
  ) {}

  get pid() {
    return this.child?.pid;
  }

  get alive() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start() {
    this.starts += 1;
    this.downOnPurpose = false;
    const child = spawn(process.execPath, ['--import', 'tsx', this.script], { cwd: root, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const record = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.log.write(`${new Date().toISOString()} [${this.name}#${this.starts}] ${line}\n`);
        this.tail.push(line);
        if (this.tail.length > 60) this.tail.shift();
        this.waiters = this.waiters.filter((w) => (w.pattern.test(line) ? (w.resolve(), false) : true));
      }
    };
    child.stdout!.on('data', record);
    child.stderr!.on('data', record);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.log.write(`${new Date().toISOString()} [${this.name}#${this.starts}] exited (${signal ?? code})\n`);
        resolve();
      }),
    );
    this.child = child;
  }

  waitForLine(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms\n${this.lastLines()}`)), timeoutMs);
      this.waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  lastLines() {
    return this.tail.map((l) => `  [${this.name}] ${l}`).join('\n');
  }

  /** kill -9: no graceful shutdown, jobs in progress are abandoned where they stand. */
  async kill() {
    this.downOnPurpose = true;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async stop() {
    this.downOnPurpose = true;
    if (!this.alive) return;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 35_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export class ChaosApp {
  readonly web: AppProcess;
  readonly worker: AppProcess;

  constructor(readonly baseUrl: string, env: NodeJS.ProcessEnv, log: WriteStream) {
    this.web = new AppProcess('web', 'server.ts', env, log);
    this.worker = new AppProcess('worker', 'workers/index.ts', env, log);
  }

  async start() {
    await this.startWeb();
    await this.startWorker();
  }

  async startWeb() {
    this.web.start();
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (!this.web.alive) throw new Error(`the web process exited during start-up\n${this.web.lastLines()}`);
      const res = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      const body = res ? ((await res.json().catch(() => null)) as { ok?: boolean } | null) : null;
      if (res?.status === 200 && body?.ok === true) return;
      if (Date.now() > deadline) throw new Error(`the web process did not answer /healthz within 90 s\n${this.web.lastLines()}`);
      await sleep(250);
    }
  }

  async startWorker() {
    const ready = this.worker.waitForLine(/\[worker\] running/, 90_000);
    this.worker.start();
    await ready;
  }

  /** kill -9 the worker, then start a new one after `pauseMs`. Resolves once the new one runs. */
  async crashWorker(pauseMs: number) {
    await this.worker.kill();
    await sleep(pauseMs);
    await this.startWorker();
  }

  async stop() {
    await Promise.all([this.worker.stop(), this.web.stop()]);
  }

  static open(file: string) {
    return createWriteStream(file, { flags: 'w' });
  }
}
