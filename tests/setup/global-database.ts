import type { TestProject } from 'vitest/node';
import { migrateDeploy } from '../../prisma/migrate.ts';
import { databaseUrl, dropDatabase, withAdmin } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/**
 * Migrates a template database once per run; every test file clones it (CREATE DATABASE … TEMPLATE).
 * The name is unique per run, so runs on the same server do not trip over each other.
 */
export default async function setup(project: TestProject) {
  const template = `chorus_test_tpl_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${template}"`));
  await migrateDeploy(databaseUrl(template));
  // A template cannot be cloned while someone is connected to it.
  await withAdmin((c) =>
    c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [template]),
  );
  project.provide('templateDatabase', template);
  return async () => {
    await dropDatabase(template);
  };
}
