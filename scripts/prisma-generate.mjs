// Runs `prisma generate` without downloading Prisma's native schema engine.
// The engine is never executed by `generate`, but the CLI insists on a path to one;
// where none is configured, point it at /bin/false for this step only.
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = '/bin/false';
const result = spawnSync('npx', ['prisma', 'generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
