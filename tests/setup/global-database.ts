import { migrateDeploy } from '../../prisma/migrate.ts';
import { TEMPLATE_DATABASE, databaseUrl, dropDatabase, withAdmin } from './database.ts';

/** Migrates a template database once per run; every test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup() {
  await dropDatabase(TEMPLATE_DATABASE);
  await withAdmin((c) => c.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`));
  await migrateDeploy(databaseUrl(TEMPLATE_DATABASE));
  // A template cannot be cloned while someone is connected to it.
  await withAdmin((c) =>
    c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE_DATABASE]),
  );
  return async () => {
    await dropDatabase(TEMPLATE_DATABASE);
  };
}
