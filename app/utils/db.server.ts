import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { env } from './env.server.ts';

// One Prisma client per process; kept on globalThis so dev rebuilds reuse the pool.
const globalForDb = globalThis as unknown as { chorusDb?: PrismaClient };

function createClient() {
  const adapter = new PrismaPg({
    connectionString: env().DATABASE_URL,
    max: env().DATABASE_POOL_SIZE,
    // Fail fast when PostgreSQL is down, so a signer sees "not recorded" instead of a hung request.
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}

function client(): PrismaClient {
  return (globalForDb.chorusDb ??= createClient());
}

/** The client, created on first use, so importing a model never needs configuration. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const c = client();
    const value = Reflect.get(c, property, c);
    return typeof value === 'function' ? value.bind(c) : value;
  },
});

export async function disconnectDb() {
  await globalForDb.chorusDb?.$disconnect();
}

/** True for a unique-constraint violation, optionally on a named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { constraint?: unknown } } } };
  if (e?.code !== 'P2002') return false;
  if (!constraint) return true;
  const found = e.meta?.driverAdapterError?.cause?.constraint;
  const name = typeof found === 'string' ? found : (found as { index?: string } | undefined)?.index;
  return name === undefined || name === constraint;
}
