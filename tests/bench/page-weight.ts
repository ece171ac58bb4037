// `npm run bench:weight`: the JavaScript a public page makes the browser load, raw and gzip-compressed.
//
// Reads the client build's manifest (public/build/manifest-*.json, so run `npm run build` first) and
// sums the chunks a first load of the page requests: the entry and its imports, then root and the
// page's route module with theirs. tests/e2e/sign-form.test.ts checks that this set is exactly the
// set of build/ scripts Chromium requests on the campaign page.
//
//   npx tsx tests/bench/page-weight.ts [routeId …]     default: routes/c.$slug (the campaign page)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const publicDir = path.join(root, 'public');

type Manifest = {
  entry: { module: string; imports?: string[] };
  routes: Record<string, { id: string; parentId?: string; module: string; imports?: string[] }>;
};

export function readManifest(): Manifest {
  const dir = path.join(publicDir, 'build');
  const file = readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f));
  if (!file) throw new Error('No public/build/manifest-*.js: run `npm run build` first.');
  const source = readFileSync(path.join(dir, file), 'utf8');
  return JSON.parse(source.slice(source.indexOf('{'), source.lastIndexOf('}') + 1)) as Manifest;
}

/** The /build/… scripts a first load of the route requests (entry, then each route from root down). */
export function chunksFor(routeId: string, manifest = readManifest()): string[] {
  const route = manifest.routes[routeId];
  if (!route) throw new Error(`Unknown route ${routeId}; known: ${Object.keys(manifest.routes).join(', ')}`);
  const chain: string[] = [];
  for (let r: (typeof route) | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) chain.unshift(r.id);
  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (const id of chain) for (const f of [manifest.routes[id].module, ...(manifest.routes[id].imports ?? [])]) files.add(f);
  return [...files];
}

export type Weight = { files: Array<{ url: string; raw: number; gzip: number }>; raw: number; gzip: number };

export function weightOf(urls: string[]): Weight {
  const files = urls.map((url) => {
    const bytes = readFileSync(path.join(publicDir, url));
    return { url, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files, raw: files.reduce((s, f) => s + f.raw, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const routes = process.argv.slice(2);
  for (const routeId of routes.length ? routes : ['routes/c.$slug']) {
    const weight = weightOf(chunksFor(routeId));
    console.log(`${routeId}: ${weight.files.length} scripts, ${kb(weight.raw)} raw, ${kb(weight.gzip)} gzip`);
    for (const f of [...weight.files].sort((a, b) => b.raw - a.raw)) console.log(`  ${f.url.padEnd(48)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)}`);
  }
}
