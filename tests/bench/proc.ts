// Linux /proc readers for the benchmark: a process's resident memory, and CPU time per process group.
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second for /proc times (USER_HZ); 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

/** VmRSS (or another Vm* field) of a process in kB, or null when it is gone. */
export function vmKb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Samples a process's VmRSS every intervalMs; keeps the peak overall and per named phase. */
export class RssSampler {
  peakKb = 0;
  /** The first sample: the process's RSS when sampling began. */
  startKb: number | null = null;
  readonly phasePeakKb = new Map<string, number>();
  private phase = '';
  private timer: NodeJS.Timeout;

  constructor(readonly pid: number, intervalMs = 500) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  setPhase(name: string) {
    this.phase = name;
    this.sample();
  }

  sample() {
    const kb = vmKb(this.pid);
    if (kb === null) return;
    this.startKb ??= kb;
    this.peakKb = Math.max(this.peakKb, kb);
    if (this.phase) this.phasePeakKb.set(this.phase, Math.max(this.phasePeakKb.get(this.phase) ?? 0, kb));
  }

  stop() {
    clearInterval(this.timer);
  }
}

function processTicks(pid: number | string): { comm: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
    return { comm, ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

/** Whole-machine ticks: time in processes, time in interrupt handlers (loopback networking, mostly), and all. */
function machineTicks(): { busy: number; irq: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + steal;
  return { busy, irq: irq + softirq, total: busy + irq + softirq + idle + iowait };
}

export type CpuSnapshot = { at: number; groups: Map<string, number>; machine: { busy: number; irq: number; total: number } };

/**
 * CPU time of the web process, this bench process, PostgreSQL, Redis and the whole machine.
 * Processes that exit between two snapshots lose their time; the pool's backends live through a run.
 */
export function cpuSnapshot(pids: { web?: number; worker?: number }): CpuSnapshot {
  const groups = new Map<string, number>();
  const add = (name: string, ticks: number) => groups.set(name, (groups.get(name) ?? 0) + ticks);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const p = processTicks(pid);
    if (!p) continue;
    if (pid === pids.web) add('web', p.ticks);
    else if (pid === pids.worker) add('worker', p.ticks);
    else if (pid === process.pid) add('bench', p.ticks);
    else if (p.comm === 'postgres' || p.comm.startsWith('postgres:')) add('postgres', p.ticks);
    else if (p.comm.startsWith('redis-server')) add('redis', p.ticks);
  }
  return { at: Date.now(), groups, machine: machineTicks() };
}

/** CPU use between two snapshots, in percent of one core: per group, "other" processes, interrupts, and idle. */
export function cpuShare(a: CpuSnapshot, b: CpuSnapshot, cores: number): Array<[string, number]> {
  const seconds = (b.at - a.at) / 1000;
  if (seconds <= 0) return [];
  const pct = (ticks: number) => (ticks / TICKS_PER_SECOND / seconds) * 100;
  const out: Array<[string, number]> = [];
  let known = 0;
  for (const name of ['web', 'worker', 'bench', 'postgres', 'redis']) {
    if (!b.groups.has(name)) continue;
    const ticks = Math.max(0, (b.groups.get(name) ?? 0) - (a.groups.get(name) ?? 0));
    known += ticks;
    out.push([name, pct(ticks)]);
  }
  const busyTicks = b.machine.busy - a.machine.busy;
  const irqTicks = b.machine.irq - a.machine.irq;
  const totalTicks = b.machine.total - a.machine.total;
  out.push(['other', Math.max(0, pct(busyTicks - known))]);
  out.push(['irq', pct(irqTicks)]);
  if (totalTicks > 0) out.push(['idle', ((totalTicks - busyTicks - irqTicks) / totalTicks) * cores * 100]);
  return out;
}
