// The layer boundaries are ESLint rules (eslint.config.js); these cases prove each one fires on a file in the
// folder it guards, and stays quiet where the same import is allowed.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// Loading the config and the TypeScript parser takes seconds on a busy machine.
describe('layer boundaries', { timeout: 60_000 }, () => {
  it('refuses the database client in a route, in both spellings', async () => {
    for (const specifier of ['../utils/db.server.ts', '~/utils/db.server']) {
      const messages = await restrictedImports(
        'app/routes/example.tsx',
        `import { db } from '${specifier}';\nexport const loader = () => db;\n`,
      );
      expect(messages).toEqual([expect.stringContaining('Routes never touch the database')]);
    }
  });

  it('refuses the generated Prisma client in a route', async () => {
    const messages = await restrictedImports(
      'app/routes/example.tsx',
      `import { Prisma } from '../generated/prisma/client.ts';\nexport const loader = () => Prisma;\n`,
    );
    expect(messages).toEqual([expect.stringContaining('Routes never use the Prisma client')]);
  });

  it('lets a model import the database client', async () => {
    const messages = await restrictedImports(
      'app/models/example.server.ts',
      `import { db } from '../utils/db.server.ts';\nexport const count = () => db;\n`,
    );
    expect(messages).toEqual([]);
  });

  it('refuses workers anywhere in app/, routes included', async () => {
    for (const filePath of ['app/models/example.server.ts', 'app/routes/example.tsx']) {
      const messages = await restrictedImports(
        filePath,
        `import { start } from '../../workers/start.ts';\nexport const go = () => start;\n`,
      );
      expect(messages).toEqual([expect.stringContaining('never imports the worker process')]);
    }
  });

  it('refuses route modules in emails', async () => {
    const messages = await restrictedImports(
      'emails/example.tsx',
      `import { loader } from '../app/routes/_index.tsx';\nexport const x = loader;\n`,
    );
    expect(messages).toEqual([expect.stringContaining('Emails never import route modules')]);
  });

  it('refuses models in utils, and still refuses workers there', async () => {
    const messages = await restrictedImports(
      'app/utils/example.server.ts',
      `import { a } from '../models/user.server.ts';\nimport { b } from '../../workers/start.ts';\nexport const x = [a, b];\n`,
    );
    expect(messages).toEqual([
      expect.stringContaining('Utilities sit below models'),
      expect.stringContaining('never imports the worker process'),
    ]);
  });

  it('refuses links built from PUBLIC_URL outside the public-url helpers', async () => {
    const source = `import { env } from '../app/utils/env.server.ts';\nexport const a = \`\${env().PUBLIC_URL}/sign-in\`;\nexport const b = env().PUBLIC_URL + '/c/x';\n`;
    for (const filePath of ['workers/example.worker.ts', 'app/models/example.server.ts']) {
      const [result] = await eslint.lintText(source, { filePath });
      expect(result.messages.map((m) => m.message)).toEqual([
        expect.stringContaining('app/utils/public-url.server.ts'),
        expect.stringContaining('app/utils/public-url.server.ts'),
      ]);
    }
    const [helpers] = await eslint.lintText(`import { env } from './env.server.ts';\nexport const publicUrl = (path: string) => \`\${env().PUBLIC_URL}\${path}\`;\n`, {
      filePath: 'app/utils/public-url.server.ts',
    });
    expect(helpers.messages).toEqual([]);
  });

  it('reports an unused import', async () => {
    const [result] = await eslint.lintText(`import { QUEUE, queue } from '../queues.server.ts';\nexport const x = 1;\n`, {
      filePath: 'app/models/example.server.ts',
    });
    expect(result.messages.map((m) => m.ruleId)).toEqual([
      '@typescript-eslint/no-unused-vars',
      '@typescript-eslint/no-unused-vars',
    ]);
  });
});
