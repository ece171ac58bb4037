// prisma/migrate.ts against throwaway databases on the local PostgreSQL.
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDeploy, migrateDev, migrateStatus, migrationsDir, schemaPath } from '../../prisma/migrate.ts';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const timeout = 60_000;

const databases: string[] = [];
const tempDirs: string[] = [];

/** URL of a new, uniquely named database (created by migrate itself, dropped after the file). */
function throwawayDatabaseUrl(): string {
  const name = `chorus_test_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
  databases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<R extends pg.QueryResultRow>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A temp copy of prisma/migrations, so migrateDev never writes into the repository. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chorus-migrations-'));
  tempDirs.push(dir);
  await cp(migrationsDir, dir, { recursive: true });
  return dir;
}

async function migrationFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

afterAll(async () => {
  for (const name of databases) {
    await query(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe('migrateDeploy', () => {
  const url = throwawayDatabaseUrl();

  it('creates the database and applies every migration in prisma/migrations', { timeout }, async () => {
    const folders = await migrationFolders(migrationsDir);
    expect(folders.some((f) => /^\d{14}_init$/.test(f))).toBe(true);

    expect(await migrateDeploy(url)).toEqual(folders);

    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['Addressee', 'Campaign', 'Delivery', 'DeliveryItem', 'Demand', 'Signature', '_prisma_migrations']),
    );
    const indexes = await query<{ indexname: string }>(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining(['Signature_campaign_email_key', 'DeliveryItem_addressee_signature_key']),
    );
  });

  it('applies nothing the second time', { timeout }, async () => {
    expect(await migrateDeploy(url)).toEqual([]);
  });

  it('leaves status up to date', { timeout }, async () => {
    const status = await migrateStatus(url);
    expect(status).toMatchObject({ upToDate: true, unapplied: [], unknownToFolder: [], failed: [], edited: [] });
    expect(status.migrations).toEqual(await migrationFolders(migrationsDir));
  });

  it("records each migration in _prisma_migrations with Prisma's checksum (sha256 of migration.sql)", { timeout }, async () => {
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      url,
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    const folders = await migrationFolders(migrationsDir);
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = await readFile(join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('reports unapplied migrations on an empty database', { timeout }, async () => {
    const emptyUrl = throwawayDatabaseUrl();
    await query(adminUrl, `CREATE DATABASE "${new URL(emptyUrl).pathname.slice(1)}"`);

    const status = await migrateStatus(emptyUrl);

    expect(status.upToDate).toBe(false);
    expect(status.unapplied).toEqual(await migrationFolders(migrationsDir));
  });
});

describe('migrateDev', () => {
  it('returns null and writes nothing when schema.prisma has no changes since the last migration', { timeout }, async () => {
    const dir = await copyOfMigrations();
    const before = await migrationFolders(dir);

    const created = await migrateDev(throwawayDatabaseUrl(), 'unchanged', { migrationsDir: dir });

    expect(created, 'schema.prisma has changes without a migration: run `npm run migrate -- dev --name <name>`').toBeNull();
    expect(await migrationFolders(dir)).toEqual(before);
  });

  it('writes and applies a follow-up migration for a schema change, then has nothing more to do', { timeout }, async () => {
    const dir = await copyOfMigrations();
    const schemaCopy = join(dir, 'schema.prisma');
    await writeFile(schemaCopy, `${await readFile(schemaPath, 'utf8')}\nmodel MigrateProbe {\n  id String @id\n}\n`);
    const url = throwawayDatabaseUrl();

    const folder = await migrateDev(url, 'add_probe', { migrationsDir: dir, schemaPath: schemaCopy });

    expect(folder).toMatch(/\d{14}_add_probe$/);
    const sql = await readFile(join(folder!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "MigrateProbe"');
    expect(sql).not.toContain('CREATE TABLE "Campaign"');
    const probe = await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'MigrateProbe'");
    expect(probe).toHaveLength(1);

    expect(await migrateDev(url, 'again', { migrationsDir: dir, schemaPath: schemaCopy })).toBeNull();
    expect(await migrateStatus(url, { migrationsDir: dir })).toMatchObject({ upToDate: true });
  });
});
