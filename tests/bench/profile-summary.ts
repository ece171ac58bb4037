// Summarises the web process's CPU profile from `BENCH_CPU_PROF=<dir> npm run bench`: where its time went.
//
//   npx tsx tests/bench/profile-summary.ts <dir | file.cpuprofile> [--scenario sign] [--all] [--top 25]
//
// Given the directory, it reads the main thread's profile (the largest file) and windows.json, and keeps only
// samples taken while a scenario was measured (--scenario narrows that to one; --all keeps start-up and pauses too).
// Percentages are of the time the thread was busy (idle excluded).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type Node = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
type Window = { scenario: string; attempt: number; aborted: boolean; startUs: number; endUs: number };

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const target = args.find((a, i) => !a.startsWith('--') && !['--scenario', '--top'].includes(args[i - 1] ?? ''));
if (!target) {
  console.error('Usage: npx tsx tests/bench/profile-summary.ts <dir | file.cpuprofile> [--scenario sign] [--all] [--top 25]');
  process.exit(1);
}
const TOP = Number(option('--top') ?? 25);
const scenario = option('--scenario');

let file = target;
if (statSync(target).isDirectory()) {
  const profiles = readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(target, f));
  if (profiles.length === 0) throw new Error(`no .cpuprofile in ${target}`);
  file = profiles.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}
const windowsFile = path.join(path.dirname(file), 'windows.json');
let windows: Window[] | null = null;
if (!args.includes('--all') && existsSync(windowsFile)) {
  windows = (JSON.parse(readFileSync(windowsFile, 'utf8')) as Window[]).filter((w) => !scenario || w.scenario === scenario);
  if (windows.length === 0) throw new Error(`windows.json has no measured window${scenario ? ` for ${scenario}` : ''}`);
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** The package or area a frame belongs to. */
function area(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native: V8 builtins, syscalls)';
  if (url.startsWith('node:')) {
    const rest = url.slice(5).split('/');
    return `node:${rest[0] === 'internal' ? rest.slice(1, 3).join('/') : rest.join('/')}`;
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const rel = path.relative(process.cwd(), url.replace(/^file:\/\//, ''));
  if (rel.startsWith('app/generated/prisma')) return 'app/generated/prisma (Prisma client)';
  if (rel.startsWith('build/')) return 'build/ (Remix server build: the app code)';
  return rel.split('/').slice(0, 2).join('/');
}

function label(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const url = frame.url.replace(/^file:\/\//, '');
  const nm = url.lastIndexOf('/node_modules/');
  const short = nm >= 0 ? url.slice(nm + 14) : path.relative(process.cwd(), url);
  return `${name}  ${short}:${frame.lineNumber + 1}`;
}

const selfByArea = new Map<string, number>();
const selfByFn = new Map<string, number>();
const totalByFn = new Map<string, number>();
let sampled = 0;
let busy = 0;
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  at += dt;
  if (windows && !windows.some((w) => at >= w.startUs && at <= w.endUs)) continue;
  const node = byId.get(profile.samples[i]);
  if (!node) continue;
  sampled += dt;
  if (node.callFrame.functionName === '(idle)') continue;
  busy += dt;
  const a = area(node.callFrame);
  const l = label(node.callFrame);
  selfByArea.set(a, (selfByArea.get(a) ?? 0) + dt);
  selfByFn.set(l, (selfByFn.get(l) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const key = label(byId.get(id)!.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    totalByFn.set(key, (totalByFn.get(key) ?? 0) + dt);
  }
}
if (sampled === 0) throw new Error('no samples in the measured windows (was the profile written by the same run as windows.json?)');

const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>, n: number, skip: (k: string) => boolean = () => false) => {
  console.log(`\n${title}`);
  [...map.entries()]
    .filter(([k]) => !skip(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, v]) => console.log(`  ${pct(v)} ${ms(v)}  ${k}`));
};

const scope = windows ? `measured windows: ${[...new Set(windows.map((w) => w.scenario))].join(', ')}` : 'whole process lifetime';
console.log(`${path.basename(file)} (${scope}): ${(sampled / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((busy / sampled) * 100).toFixed(0)}%)`);
print('Self time by area (% of busy time)', selfByArea, TOP);
print('Self time by function', selfByFn, TOP);
print('Total time (self + synchronous callees) by function', totalByFn, TOP, (k) => k.startsWith('(root)') || k.startsWith('(program)'));
