/**
 * CPU profiles of the timed part of a worker (V8's sampling profiler through `inspector`, so
 * module loading is left out), and a summary of where the time goes: by area (our `src/`
 * files, each package, the garbage collector), and the functions with the most self and
 * inclusive time.
 */
import * as fs from 'fs';
import * as inspector from 'inspector';

/** Samples every 200 µs: enough resolution for runs of a few hundred milliseconds. */
const SAMPLING_INTERVAL_US = 200;

/** A running profile of this process; `stop` writes it as a `.cpuprofile` file (Chrome DevTools reads it). */
export interface RunningProfile {
  stop(file: string): Promise<void>;
}

/** Starts the sampling profiler in this process. */
export async function startProfile(): Promise<RunningProfile> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<any> => new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result)));
  });
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await post('Profiler.start');
  return {
    stop: async (file: string) => {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
    },
  };
}

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Time spent in one function or area, in milliseconds. */
export interface Spent {
  readonly name: string;
  readonly ms: number;
  /** Share of the profile's total. */
  readonly share: number;
}

/** Where a profile's time goes. */
export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time by area: `src/<file>`, a package name, `node`, `(garbage collector)`... */
  readonly areas: Spent[];
  /** Functions by self time. */
  readonly self: Spent[];
  /** Functions by inclusive time (each sample counted once per function on its stack). */
  readonly inclusive: Spent[];
  /** The library's own functions (`src/`) by inclusive time. */
  readonly library: Spent[];
}

/**
 * Summarizes a `.cpuprofile`. `compiledRoot` is the directory the worker ran from, so its
 * files are shown relative to the repository (`src/lint/context.js:120`).
 */
export function summarizeProfile(file: string, compiledRoot: string, top = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf-8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }

  const areas = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      stack.push(describe(byId.get(at)!.callFrame, compiledRoot));
    }
    if (stack.some((frame) => frame.startsWith('startProfile '))) {
      return; // starting the profiler, before the clock starts
    }
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    add(areas, area(byId.get(id)!.callFrame, compiledRoot), us);
    add(self, stack[0], us);
    for (const frame of new Set(stack)) {
      add(inclusive, frame, us);
    }
  });

  const ranked = (m: Map<string, number>, skip: (name: string) => boolean = () => false): Spent[] => [...m.entries()]
    .filter(([name]) => !skip(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs === 0 ? 0 : us / totalUs }));
  // the roots, the event loop and the worker's own frames contain everything: they say nothing about hotspots
  const structural = (name: string) => /^\((root|program)\)|^(runMicrotasks|processTicksAndRejections)( |$)/.test(name) || name.includes('bench/');
  return {
    totalMs: totalUs / 1000,
    areas: ranked(areas),
    self: ranked(self),
    inclusive: ranked(inclusive, structural),
    library: ranked(inclusive, (name) => !/ src\//.test(name)),
  };
}

function add(map: Map<string, number>, key: string, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** The file a frame runs in, relative to the repository, or the package it belongs to. */
function location(frame: CallFrame, compiledRoot: string): string {
  let url = frame.url.replace(/^file:\/\//, '');
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    return url.slice(modules + '/node_modules/'.length);
  }
  if (url.startsWith(compiledRoot)) {
    url = url.slice(compiledRoot.length).replace(/^\//, '');
  }
  return url;
}

function area(frame: CallFrame, compiledRoot: string): string {
  if (frame.url === '') {
    return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  }
  if (frame.url.startsWith('node:')) {
    return 'node';
  }
  const where = location(frame, compiledRoot);
  if (frame.url.includes('/node_modules/')) {
    const parts = where.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return where;
}

function describe(frame: CallFrame, compiledRoot: string): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') {
    return name;
  }
  return `${name} ${location(frame, compiledRoot)}:${frame.lineNumber + 1}`;
}
