// `npm start`: makes sure PostgreSQL and Redis are there (embedded ones if none is configured),
// applies migrations, seeds the demo campaign, then runs the web server and the worker side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, ensureRedis } from './services.ts';
import { migrateDeploy } from '../prisma/migrate.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');

/** A local secret kept under .data/, so emailed links and sessions survive restarts. */
function localSecret(name: string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything.`);
      void shutdown(1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  process.exit(code);
}

async function main() {
  const database = await ensureDatabase({ dataDir });
  cleanups.push(database.stop);
  if (database.embedded) console.log(`[start] embedded PostgreSQL running (data in .data/postgres)`);
  const redis = await ensureRedis({ dataDir });
  cleanups.push(redis.stop);
  if (redis.started) console.log(`[start] local Redis started (data in .data/redis)`);

  const port = Number(process.env.PORT ?? 3000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    PORT: String(port),
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    HASH_SECRET: process.env.HASH_SECRET ?? localSecret('hash-secret'),
    SESSION_SECRET: process.env.SESSION_SECRET ?? localSecret('session-secret'),
  };

  const applied = await migrateDeploy(database.url);
  if (applied.length) console.log(`[start] applied migrations: ${applied.join(', ')}`);

  Object.assign(process.env, env);
  const { seedDemo } = await import('../prisma/seed.ts');
  const { disconnectDb } = await import('../app/utils/db.server.ts');
  const seeded = await seedDemo();
  await disconnectDb();

  children.push(run('web', ['server.ts'], env), run('worker', ['workers/index.ts'], env));
  console.log(`
  Chorus is running at ${env.PUBLIC_URL}
    demo campaign:   ${env.PUBLIC_URL}/c/${seeded.slug}
    ${env.SMTP_URL ? 'emails go to     ' + new URL(env.SMTP_URL).host : `emails (no SMTP_URL set): ${env.PUBLIC_URL}/dev/mailbox`}
  Press Ctrl+C to stop.
`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (error) => {
  console.error(`[start] ${error.message}`);
  await shutdown(1);
});
