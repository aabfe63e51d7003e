/**
 * Gives an instance process a CPU allocation in fractional cores, with the strongest mechanism the host
 * allows, detected once per allocator:
 * - `cgroup-v1`: `<v1 root>/sluice/<instance>/cpu.cfs_quota_us` = round(cores × period) with
 *   `cpu.cfs_period_us` = period, the process moved in through `cgroup.procs`;
 * - `cgroup-v2`: the same quota as `cpu.max` ("quota period") in a writable, delegated subtree;
 * - `threads+affinity`: no cgroup; the process is pinned with `taskset -a -p` to ceil(cores) CPUs;
 * - `threads`: nothing but the thread count (not root, macOS, read-only cgroup file system).
 * Under every mechanism the session's intra-op thread count follows the allocation: max(1, ceil(cores)).
 * Resizing rewrites the quota (or the affinity) of the running process in place.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { SluiceError } from '../core/errors.js';

const run = promisify(execFile);

export type CpuMechanism = 'cgroup-v1' | 'cgroup-v2' | 'threads+affinity' | 'threads';

/** One instance's CPU allocation; it outlives the instance's processes (a restarted process re-attaches). */
export interface CpuAllocation {
  readonly mechanism: CpuMechanism;
  /** The allocation, in (fractional) cores. */
  readonly cores: number;
  /** Intra-op threads that fit the allocation: max(1, ceil(cores)). */
  readonly threads: number;
  /** The instance's cgroup directory under a cgroup mechanism. */
  readonly cgroupDir: string | undefined;
  /** The CPUs the process is pinned to under `threads+affinity`. */
  readonly cpus: readonly number[] | undefined;
  /** Confines a (new) process of the instance, before it creates its onnxruntime threads. */
  attach(pid: number): Promise<void>;
  /** Changes the allocation of the attached process in place. */
  resize(cores: number): Promise<void>;
  /** Removes what the allocation created; call once its processes have exited. */
  release(): Promise<void>;
}

/** The port the worker pool allocates through; `CgroupCpuAllocator` is the implementation. */
export interface CpuAllocator {
  allocate(instanceId: string, cores: number): Promise<CpuAllocation>;
}

export interface CgroupCpuAllocatorOptions {
  /** Mount point of the cgroup v1 `cpu` controller. Default `/sys/fs/cgroup/cpu`. */
  readonly cgroupV1Root?: string;
  /**
   * A cgroup v2 directory Sluice may create children in (delegated to it, holding no processes).
   * Default: this process's own cgroup under the v2 mount (`/sys/fs/cgroup` or `/sys/fs/cgroup/unified`).
   */
  readonly cgroupV2Root?: string;
  /** The group created under the root to hold one sub-group per instance. Default `sluice`. */
  readonly groupName?: string;
  /** CFS period in µs. Default 100000 (100 ms). */
  readonly periodUs?: number;
  /** The affinity command (util-linux). Default `taskset`. */
  readonly tasksetCommand?: string;
}

type Detected =
  | { readonly mechanism: 'cgroup-v1' | 'cgroup-v2'; readonly parent: string }
  | { readonly mechanism: 'threads+affinity'; readonly cpus: readonly number[] }
  | { readonly mechanism: 'threads' };

/** The kernel refuses CFS quotas below 1 ms. */
const MIN_QUOTA_US = 1000;
const RMDIR_ATTEMPTS = 40;
const RMDIR_RETRY_MS = 25;

/** Allocates CPU to instance processes with the best mechanism this host allows (see the file's header). */
export class CgroupCpuAllocator implements CpuAllocator {
  private readonly v1Root: string;
  private readonly v2Root: string | undefined;
  private readonly groupName: string;
  private readonly periodUs: number;
  private readonly taskset: string;
  private detected: Promise<Detected> | undefined;
  private readonly live = new Set<string>();
  /** Where the next affinity allocation starts, so that instances spread over the CPUs. */
  private nextCpu = 0;

  constructor(options: CgroupCpuAllocatorOptions = {}) {
    this.v1Root = options.cgroupV1Root ?? '/sys/fs/cgroup/cpu';
    this.v2Root = options.cgroupV2Root;
    this.groupName = options.groupName ?? 'sluice';
    this.periodUs = options.periodUs ?? 100_000;
    this.taskset = options.tasksetCommand ?? 'taskset';
  }

  /** The mechanism allocations get on this host (detected on first use, then fixed). */
  async mechanism(): Promise<CpuMechanism> {
    return (await this.detect()).mechanism;
  }

  async allocate(instanceId: string, cores: number): Promise<CpuAllocation> {
    checkCores(cores);
    if (this.live.has(instanceId))
      throw new SluiceError('INTERNAL', `instance '${instanceId}' already has a CPU allocation`);
    const detected = await this.detect();
    this.live.add(instanceId);
    const forget = (): void => void this.live.delete(instanceId);
    try {
      switch (detected.mechanism) {
        case 'cgroup-v1':
        case 'cgroup-v2': {
          const dir = join(detected.parent, cgroupName(instanceId));
          const allocation = new CgroupAllocation(detected.mechanism, dir, this.periodUs, cores, forget);
          await allocation.create();
          return allocation;
        }
        case 'threads+affinity': {
          const first = this.nextCpu;
          this.nextCpu = (first + threadsFor(cores)) % detected.cpus.length;
          return new ThreadsAllocation(cores, forget, { command: this.taskset, cpus: detected.cpus, first });
        }
        case 'threads':
          return new ThreadsAllocation(cores, forget, undefined);
      }
    } catch (error) {
      forget();
      throw error;
    }
  }

  private detect(): Promise<Detected> {
    this.detected ??= this.probe();
    return this.detected;
  }

  private async probe(): Promise<Detected> {
    if (await exists(join(this.v1Root, 'cpu.cfs_quota_us'))) {
      const parent = join(this.v1Root, this.groupName);
      if ((await makeDir(parent)) && (await exists(join(parent, 'cpu.cfs_quota_us'))))
        return { mechanism: 'cgroup-v1', parent };
    }
    const v2Root = this.v2Root ?? (await defaultV2Root());
    if (v2Root !== undefined && (await enableCpuController(v2Root))) {
      const parent = join(v2Root, this.groupName);
      if ((await makeDir(parent)) && (await enableCpuController(parent)))
        return { mechanism: 'cgroup-v2', parent };
    }
    const cpus = process.platform === 'linux' ? await this.affinityList(process.pid) : undefined;
    return cpus === undefined || cpus.length === 0
      ? { mechanism: 'threads' }
      : { mechanism: 'threads+affinity', cpus };
  }

  /** The CPUs `pid` may run on, or undefined when taskset is unavailable. */
  private async affinityList(pid: number): Promise<number[] | undefined> {
    try {
      const { stdout } = await run(this.taskset, ['-c', '-p', String(pid)]);
      return parseCpuList(stdout.slice(stdout.lastIndexOf(':') + 1));
    } catch {
      return undefined;
    }
  }
}

class CgroupAllocation implements CpuAllocation {
  readonly cpus = undefined;

  constructor(
    readonly mechanism: 'cgroup-v1' | 'cgroup-v2',
    readonly cgroupDir: string,
    private readonly periodUs: number,
    public cores: number,
    private readonly forget: () => void,
  ) {}

  get threads(): number {
    return threadsFor(this.cores);
  }

  async create(): Promise<void> {
    // A directory left by a server that died is reused: its quota is rewritten below.
    if (!(await makeDir(this.cgroupDir)))
      throw new SluiceError('INTERNAL', `cannot create cgroup ${this.cgroupDir}`);
    await this.writeQuota(this.cores);
  }

  async attach(pid: number): Promise<void> {
    await write(join(this.cgroupDir, 'cgroup.procs'), String(pid));
  }

  async resize(cores: number): Promise<void> {
    checkCores(cores);
    await this.writeQuota(cores);
    this.cores = cores;
  }

  async release(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await rmdir(this.cgroupDir);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        // EBUSY: the exited process has not left the group yet (the kernel lags its reaping a little).
        if (code !== 'EBUSY' || attempt >= RMDIR_ATTEMPTS) {
          throw new SluiceError('INTERNAL', `cannot remove cgroup ${this.cgroupDir}: ${String(code)}`, {
            cause: error,
          });
        }
        await sleep(RMDIR_RETRY_MS);
      }
    }
    this.forget();
  }

  private async writeQuota(cores: number): Promise<void> {
    const quotaUs = Math.max(MIN_QUOTA_US, Math.round(cores * this.periodUs));
    if (this.mechanism === 'cgroup-v1') {
      await write(join(this.cgroupDir, 'cpu.cfs_period_us'), String(this.periodUs));
      await write(join(this.cgroupDir, 'cpu.cfs_quota_us'), String(quotaUs));
    } else {
      await write(join(this.cgroupDir, 'cpu.max'), `${quotaUs} ${this.periodUs}`);
    }
  }
}

interface Affinity {
  readonly command: string;
  readonly cpus: readonly number[];
  readonly first: number;
}

class ThreadsAllocation implements CpuAllocation {
  readonly cgroupDir = undefined;
  private pid: number | undefined;

  constructor(
    public cores: number,
    private readonly forget: () => void,
    private readonly affinity: Affinity | undefined,
  ) {}

  get mechanism(): CpuMechanism {
    return this.affinity === undefined ? 'threads' : 'threads+affinity';
  }

  get threads(): number {
    return threadsFor(this.cores);
  }

  get cpus(): readonly number[] | undefined {
    const a = this.affinity;
    if (a === undefined) return undefined;
    const count = Math.min(threadsFor(this.cores), a.cpus.length);
    return Array.from({ length: count }, (_, i) => a.cpus[(a.first + i) % a.cpus.length] ?? 0);
  }

  async attach(pid: number): Promise<void> {
    this.pid = pid;
    await this.pin();
  }

  async resize(cores: number): Promise<void> {
    checkCores(cores);
    this.cores = cores;
    await this.pin();
  }

  release(): Promise<void> {
    this.forget();
    return Promise.resolve();
  }

  private async pin(): Promise<void> {
    const cpus = this.cpus;
    if (this.affinity === undefined || cpus === undefined || this.pid === undefined) return;
    try {
      // -a: every thread of the process, not only its main thread.
      await run(this.affinity.command, ['-a', '-c', '-p', cpus.join(','), String(this.pid)]);
    } catch (error) {
      throw new SluiceError('INTERNAL', `cannot pin process ${this.pid} to CPUs ${cpus.join(',')}`, {
        cause: error,
      });
    }
  }
}

function threadsFor(cores: number): number {
  return Math.max(1, Math.ceil(cores));
}

function checkCores(cores: number): void {
  if (!Number.isFinite(cores) || cores <= 0) {
    throw new SluiceError(
      'INVALID_CONFIG',
      `a CPU allocation must be a positive number of cores, got ${String(cores)}`,
    );
  }
}

/** A cgroup directory name for an instance id: no '/', no leading '.', distinct ids stay distinct. */
function cgroupName(instanceId: string): string {
  return encodeURIComponent(instanceId).replace(/^\./, '%2E');
}

/** "0-2,5" → [0, 1, 2, 5]. */
function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    for (let cpu = from; cpu <= (to ?? from); cpu += 1) cpus.push(cpu);
  }
  return cpus;
}

/** This process's cgroup under the v2 mount, if the host has one. */
async function defaultV2Root(): Promise<string | undefined> {
  for (const mount of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    if (!(await exists(join(mount, 'cgroup.controllers')))) continue;
    const own = (await readText('/proc/self/cgroup'))?.split('\n').find((line) => line.startsWith('0::'));
    return join(mount, own?.slice(3).trim() ?? '/');
  }
  return undefined;
}

/** Makes the cpu controller available to `dir`'s children; false when the host does not allow it. */
async function enableCpuController(dir: string): Promise<boolean> {
  const available = (await readText(join(dir, 'cgroup.controllers')))?.split(/\s+/) ?? [];
  if (!available.includes('cpu')) return false;
  const enabled = (await readText(join(dir, 'cgroup.subtree_control')))?.split(/\s+/) ?? [];
  if (enabled.includes('cpu')) return true;
  try {
    await writeFile(join(dir, 'cgroup.subtree_control'), '+cpu');
    return true;
  } catch {
    // EBUSY: processes live in `dir` itself (the "no internal processes" rule); EACCES: not delegated.
    return false;
  }
}

async function makeDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function write(path: string, value: string): Promise<void> {
  try {
    await writeFile(path, value);
  } catch (error) {
    throw new SluiceError('INTERNAL', `cannot write '${value}' to ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
