// CPU allocation against the real host: cgroup v1 where /sys/fs/cgroup/cpu is writable, the fallbacks
// everywhere (by pointing the allocator at cgroup roots that do not exist), and the cgroup v2 file
// protocol on a directory laid out like a delegated v2 subtree (this host has no v2 cpu controller).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupCpuAllocator, type CpuAllocation } from '../../src/runtime/cgroup-cpu-allocator.js';

const V1_ROOT = '/sys/fs/cgroup/cpu';
const v1Writable = await access(join(V1_ROOT, 'cpu.cfs_quota_us'), constants.W_OK).then(
  () => true,
  () => false,
);
const tasksetWorks = await new Promise<boolean>((resolve) => {
  const probe = spawn('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  probe.on('error', () => resolve(false));
  probe.on('close', (code) => resolve(code === 0));
});
const NOWHERE = { cgroupV1Root: '/nonexistent/sluice-test/cpu', cgroupV2Root: '/nonexistent/sluice-test/v2' };

let children: ChildProcess[] = [];
let allocations: CpuAllocation[] = [];

/** A process to confine: sleeps until killed. */
function sleeper(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('could not start sleep');
  return child as ChildProcess & { pid: number };
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGKILL');
  await closed;
}

/** "0-2,5" → [0, 1, 2, 5]. */
function parseCpuList(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) return [];
    return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
  });
}

const id = (name: string): string => `test-${process.pid}-${name}`;

afterEach(async () => {
  await Promise.all(children.map(killAndWait));
  await Promise.all(allocations.map((a) => a.release().catch(() => undefined)));
  children = [];
  allocations = [];
});

describe.runIf(v1Writable)('cgroup v1 (writable here)', () => {
  it('writes period and quota, moves the process in, resizes in place and removes the group', async () => {
    const allocator = new CgroupCpuAllocator();
    expect(await allocator.mechanism()).toBe('cgroup-v1');
    const allocation = await allocator.allocate(id('v1'), 0.5);
    allocations.push(allocation);
    const dir = join(V1_ROOT, 'sluice', id('v1'));
    expect(allocation.cgroupDir).toBe(dir);
    expect(allocation.threads).toBe(1);
    expect((await readFile(join(dir, 'cpu.cfs_period_us'), 'utf8')).trim()).toBe('100000');
    expect((await readFile(join(dir, 'cpu.cfs_quota_us'), 'utf8')).trim()).toBe('50000');

    const child = sleeper();
    await allocation.attach(child.pid);
    expect((await readFile(join(dir, 'cgroup.procs'), 'utf8')).split('\n')).toContain(String(child.pid));
    expect(await readFile(`/proc/${child.pid}/cgroup`, 'utf8')).toContain(`cpu:/sluice/${id('v1')}`);

    await allocation.resize(1.5);
    expect((await readFile(join(dir, 'cpu.cfs_quota_us'), 'utf8')).trim()).toBe('150000');
    expect(allocation.threads).toBe(2);
    // Still the same process, in the same group: nothing restarted.
    expect((await readFile(join(dir, 'cgroup.procs'), 'utf8')).split('\n')).toContain(String(child.pid));

    await killAndWait(child);
    await allocation.release();
    await expect(access(dir)).rejects.toThrow(/ENOENT/);
  });

  it('keeps instance ids with slashes to one directory level', async () => {
    const allocation = await new CgroupCpuAllocator().allocate(`${id('a')}/b`, 0.25);
    allocations.push(allocation);
    expect(allocation.cgroupDir).toBe(join(V1_ROOT, 'sluice', `${id('a')}%2Fb`));
    expect((await readFile(join(allocation.cgroupDir!, 'cpu.cfs_quota_us'), 'utf8')).trim()).toBe('25000');
  });
});

describe('fallback without a writable cgroup', () => {
  it('uses threads alone when affinity is unavailable too', async () => {
    const allocator = new CgroupCpuAllocator({ ...NOWHERE, tasksetCommand: '/nonexistent/taskset' });
    expect(await allocator.mechanism()).toBe('threads');
    const allocation = await allocator.allocate(id('threads'), 2.5);
    allocations.push(allocation);
    expect(allocation).toMatchObject({
      mechanism: 'threads',
      threads: 3,
      cgroupDir: undefined,
      cpus: undefined,
    });
    const child = sleeper();
    await allocation.attach(child.pid);
    await allocation.resize(0.2);
    expect(allocation.threads).toBe(1);
  });

  it.runIf(tasksetWorks)(
    'pins the process to ceil(cores) CPUs with taskset, and re-pins on resize',
    async () => {
      const allocator = new CgroupCpuAllocator(NOWHERE);
      expect(await allocator.mechanism()).toBe('threads+affinity');
      const allocation = await allocator.allocate(id('affinity'), 0.5);
      allocations.push(allocation);
      expect(allocation.mechanism).toBe('threads+affinity');
      expect(allocation.cpus).toHaveLength(1);
      const child = sleeper();
      await allocation.attach(child.pid);
      const allowed = async (pid: number | 'self'): Promise<number[]> =>
        parseCpuList(
          /Cpus_allowed_list:\s*(\S+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '',
        );
      expect(await allowed(child.pid)).toEqual(allocation.cpus);

      // The next instance starts on the next CPU, so that instances spread out.
      const mine = await allowed('self');
      const second = await allocator.allocate(id('affinity-2'), 1);
      allocations.push(second);
      if (mine.length > 1) expect(second.cpus).not.toEqual(allocation.cpus);

      // More cores than CPUs: every CPU this process may use.
      await allocation.resize(mine.length + 2);
      expect(allocation.threads).toBe(mine.length + 2);
      expect(await allowed(child.pid)).toEqual(mine);
    },
  );

  it('refuses allocations that are not a positive number of cores', async () => {
    const allocator = new CgroupCpuAllocator(NOWHERE);
    for (const cores of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(allocator.allocate(id('bad'), cores)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    }
  });
});

describe('cgroup v2 file protocol', () => {
  it('enables the cpu controller down the tree and writes cpu.max "quota period"', async () => {
    // A directory shaped like a delegated v2 subtree: the kernel would create the interface files itself.
    const root = await mkdtemp(join(tmpdir(), 'sluice-cgroup-v2-'));
    try {
      await writeFile(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
      await writeFile(join(root, 'cgroup.subtree_control'), '\n');
      // What the kernel shows in sluice/ once the root's subtree_control has +cpu.
      await mkdir(join(root, 'sluice'));
      await writeFile(join(root, 'sluice', 'cgroup.controllers'), 'cpu\n');
      const allocator = new CgroupCpuAllocator({ cgroupV1Root: NOWHERE.cgroupV1Root, cgroupV2Root: root });
      expect(await allocator.mechanism()).toBe('cgroup-v2');
      const allocation = await allocator.allocate(id('v2'), 0.5);
      const dir = join(root, 'sluice', id('v2'));
      expect(allocation.cgroupDir).toBe(dir);
      expect(await readFile(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu');
      expect(await readFile(join(root, 'sluice', 'cgroup.subtree_control'), 'utf8')).toBe('+cpu');
      expect(await readFile(join(dir, 'cpu.max'), 'utf8')).toBe('50000 100000');
      await allocation.attach(4242);
      expect(await readFile(join(dir, 'cgroup.procs'), 'utf8')).toBe('4242');
      await allocation.resize(1.5);
      expect(await readFile(join(dir, 'cpu.max'), 'utf8')).toBe('150000 100000');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('is not used when the subtree offers no cpu controller', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sluice-cgroup-v2-'));
    try {
      await writeFile(join(root, 'cgroup.controllers'), 'memory pids\n');
      const allocator = new CgroupCpuAllocator({
        ...NOWHERE,
        cgroupV2Root: root,
        tasksetCommand: '/nonexistent/taskset',
      });
      expect(await allocator.mechanism()).toBe('threads');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
