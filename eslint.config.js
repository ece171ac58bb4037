// ESLint flat config. Besides the usual correctness rules it turns the layer boundaries from DESIGN into build
// errors: routes → models → Prisma/queues/emails, the worker is its own process, emails know nothing of pages.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Import specifiers are matched as written ('../utils/db.server.ts', '~/utils/db.server'), so each pattern is a
// regular expression over the specifier that accepts both the relative and the `~/` form.
const dbClient = {
  regex: '(^~/|/)utils/db\\.server(\\.ts)?$',
  message: 'Routes never touch the database: call a function in app/models/*.server.ts instead.',
};
const prismaClient = {
  regex: '(^@prisma/client(/.*)?$|(^~/|/)generated/prisma(/|$))',
  message: 'Routes never use the Prisma client: call a function in app/models/*.server.ts instead.',
};
const workers = {
  regex: '(^|/)workers(/|$)',
  message: 'The web app never imports the worker process: enqueue a job (app/queues.server.ts) instead.',
};
const routes = {
  regex: '(^~/|/)routes(/|$)',
  message: 'Emails never import route modules: move what both need into a shared module.',
};
const models = {
  regex: '(^~/|/)models(/|$)',
  message: 'Utilities sit below models and never import them: move what both need into app/utils.',
};

// ESLint keeps one value per rule, so a file under several folders gets the union of their patterns.
function restrict(...patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'build/',
      'public/build/',
      '.cache/',
      '.data/',
      'app/generated/',
      'tests/e2e/output/',
      'tests/chaos/output/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'emails/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Layer boundaries. Order matters: later blocks replace the rule, so the narrowest folder comes last and repeats
  // the patterns of the folders that contain it.
  { files: ['app/**/*.{ts,tsx}'], rules: restrict(workers) },
  { files: ['app/routes/**/*.{ts,tsx}'], rules: restrict(workers, dbClient, prismaClient) },
  { files: ['app/utils/**/*.{ts,tsx}'], rules: restrict(workers, models) },
  { files: ['emails/**/*.{ts,tsx}'], rules: restrict(routes) },
  // Absolute links are built in one place, so a page's address is written down once.
  {
    files: ['app/**/*.{ts,tsx}', 'workers/**/*.ts', 'emails/**/*.{ts,tsx}'],
    ignores: ['app/utils/public-url.server.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['TemplateLiteral', "BinaryExpression[operator='+']"].map((outer) => ({
          selector: `${outer} MemberExpression[property.name='PUBLIC_URL']`,
          message: 'Build links with the helpers in app/utils/public-url.server.ts (publicUrl, campaignUrl, …), not from PUBLIC_URL.',
        })),
      ],
    },
  },
);
