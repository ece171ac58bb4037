// Prisma's schema engine (WebAssembly build) on top of @prisma/adapter-pg, for prisma/migrate.ts.
// The native Prisma CLI needs to download its engines, which this project cannot rely on.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine };

/** Connection settings as separate fields (see makeAdapterFactory for why not a connection string). */
export interface PgTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

export function parseDatabaseUrl(databaseUrl: string): PgTarget {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgresql://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL must start with postgresql:// (got ${url.protocol}//)`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL has no database name');
  return {
    host: decodeURIComponent(url.hostname) || 'localhost',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Turns low-level connection errors into one-line messages that say what to fix (keeping `code`). */
function explainPgError(error: unknown, target: PgTarget): Error {
  const e = error as { code?: string; message?: string };
  const where = `${target.host}:${target.port}`;
  const explained = (message: string) => Object.assign(new Error(message), { code: e.code });
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return explained(`Cannot reach PostgreSQL at ${where} (${e.code}). Is the server running?`);
    case '28P01':
    case '28000':
      return explained(`PostgreSQL at ${where} rejected user "${target.user}": ${e.message}`);
    case '3D000':
      return explained(`Database "${target.database}" does not exist on ${where}`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** Runs fn with a pg client connected to target (or one of its fields overridden). */
export async function withClient<T>(target: PgTarget, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...target });
  client.on('error', () => {}); // a dropped connection surfaces through the failing query instead
  try {
    await client.connect();
  } catch (error) {
    throw explainPgError(error, target);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates target.database unless it exists. Returns true when it was created. */
export async function ensureDatabase(target: PgTarget): Promise<boolean> {
  try {
    await withClient(target, async () => {});
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error;
  }
  return withClient({ ...target, database: 'postgres' }, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(target.database)}`);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '42P04') return false; // created meanwhile by someone else
      throw error;
    }
  });
}

/** Throws a clear error unless target is reachable and its database exists. */
export async function checkConnection(target: PgTarget): Promise<void> {
  await withClient(target, async () => {});
}

// --- loading the WebAssembly module -------------------------------------------------------------

let loaded: Promise<void> | undefined;

/** Instantiates schema_engine_bg.wasm once per process; the bindings module keeps it in a global. */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(bindingsPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': wasmBindings });
    wasmBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

// --- the driver adapter -------------------------------------------------------------------------

type PgFields = { fields: { dataTypeID: number }[] };
type WithPerformIO = { performIO(query: unknown): Promise<PgFields> };

const PG_CHAR_OID = 18; // the catalog type "char" (e.g. pg_class.relkind, pg_constraint.contype)
const PG_TEXT_OID = 25;

/**
 * adapter-pg 7.10 cannot map the "char" column type that the engine's introspection queries
 * return. Its values arrive as plain strings anyway, so relabel those columns as text.
 */
function relabelCharColumns<T extends object>(queryable: T): T {
  const target = queryable as unknown as WithPerformIO;
  const performIO = target.performIO;
  target.performIO = async function (this: unknown, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return queryable;
}

function patchAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  relabelCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => relabelCharColumns<Transaction>(await startTransaction(isolationLevel));
  return adapter;
}

/**
 * A migration-aware adapter factory for target. Two deliberate differences from `new PrismaPg(url)`:
 * - settings are passed as fields: with a connectionString, adapter-pg's own shadow database
 *   silently points at the main database (the string wins over its `database` override);
 * - the shadow database is created and dropped here (`<db>_shadow_<random>`, dropped WITH (FORCE)
 *   after its pool is closed), since adapter-pg drops it while its pool still holds connections.
 * `cleanup` closes every pool the engine left open and drops leftover shadow databases.
 */
function makeAdapterFactory(target: PgTarget) {
  const openAdapters = new Set<SqlDriverAdapter>();

  const track = (adapter: SqlDriverAdapter, afterDispose?: () => Promise<void>): SqlDriverAdapter => {
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => {
      disposed ??= (async () => {
        openAdapters.delete(adapter);
        await dispose();
        await afterDispose?.();
      })();
      return disposed;
    };
    openAdapters.add(patchAdapter(adapter));
    return adapter;
  };

  const main = new PrismaPg({ ...target });
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: main.adapterName,
    connect: async () => track(await main.connect()),
    connectToShadowDb: async () => {
      const prefix = target.database.slice(0, 40);
      const shadow = { ...target, database: `${prefix}_shadow_${randomBytes(5).toString('hex')}` };
      await withClient(target, (c) => c.query(`CREATE DATABASE ${quoteIdent(shadow.database)}`));
      const drop = () =>
        withClient(target, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(shadow.database)} WITH (FORCE)`)).then(() => {});
      return track(await new PrismaPg(shadow).connect(), drop);
    },
  };
  const cleanup = async () => {
    await Promise.all([...openAdapters].map((adapter) => adapter.dispose()));
  };
  return { factory, cleanup };
}

// --- the engine ---------------------------------------------------------------------------------

/** Engine errors come in several shapes; make them a readable Error. */
function engineError(error: unknown, registry: { consumeError(id: number): { error: unknown } | undefined }): Error {
  const e = error as { message?: string; code?: string; cause?: unknown } | undefined;
  // Errors thrown in JS by the adapter are parked in the registry and referenced by id.
  const id = /"id":\s*(\d+)/.exec(e?.message ?? '')?.[1];
  const parked = id === undefined ? undefined : registry.consumeError(Number(id));
  if (parked) return parked.error instanceof Error ? parked.error : new Error(String(parked.error));
  if (e?.code) return new Error(`${e.code}: ${e.message}`);
  return error instanceof Error ? error : new Error(String(error));
}

export interface EngineOptions {
  /** The Prisma schema the engine should know about (needed by createMigration / devDiagnostic). */
  schema?: { path: string; content: string };
  /** Receives the engine's log lines; defaults to stderr when MIGRATE_DEBUG is set. */
  log?: (line: string) => void;
}

/**
 * Runs fn with a schema engine connected to target, then frees the engine, closes all pools and
 * drops any shadow database. Errors from the engine are rethrown as plain Errors.
 */
export async function withSchemaEngine<T>(
  target: PgTarget,
  options: EngineOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const log = options.log ?? (process.env.MIGRATE_DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : () => {});
  const { factory, cleanup } = makeAdapterFactory(target);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const registry = bound.errorRegistry as unknown as Parameters<typeof engineError>[1];
  const datamodels: [string, string][] | undefined = options.schema && [[options.schema.path, options.schema.content]];
  let engine: SchemaEngine | undefined;
  try {
    engine = await wasmBindings.SchemaEngine.new({ datamodels }, log, bound);
    return await fn(engine);
  } catch (error) {
    throw engineError(error, registry);
  } finally {
    engine?.free();
    await cleanup();
  }
}
