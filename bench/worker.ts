/**
 * One measurement in a fresh process, forked by `bench.ts` from the compiled copy of the
 * repository: the task comes as a JSON argument, the result goes back as one IPC message. A
 * fresh process per measurement gives each run its own peak memory, a cold JIT and an empty
 * heap, as `cdk8s synth` or a CI lint step has.
 *
 * Modules are loaded before the clock starts: the timed part is what grows with the input.
 * Their load time and memory are reported apart (`loadMs`, `baseRssMb`).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
// Required on demand, not imported at the top: a worker holds only the code of the variant it
// measures (the hand-written app must not load src/).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { startProfile } from './profile';

/** What a worker is asked to do. */
export type Task =
  | { readonly task: 'synth'; readonly variant: SynthVariant; readonly n: number; readonly profile?: string }
  | { readonly task: 'compare'; readonly n: number }
  | { readonly task: 'corpus'; readonly file: string; readonly objects: number }
  | { readonly task: 'lint'; readonly variant: LintVariant; readonly file: string; readonly profile?: string };

export type SynthVariant = 'library' | 'hand';
export type LintVariant = 'floor' | 'engine' | 'command';

/** Figures every measurement reports. */
export interface Measurement {
  /** The timed part, in milliseconds. */
  readonly ms: number;
  /**
   * CPU time (user + system, all threads) of the timed part: less sensitive than wall time to
   * other work on the machine, but it counts the garbage collector's helper threads too.
   */
  readonly cpuMs: number;
  /** Loading the variant's modules, before the clock starts. */
  readonly loadMs: number;
  /** Peak resident set size of the whole process (`process.resourceUsage().maxRSS`), MiB. */
  readonly peakRssMb: number;
  /** Resident set size once the modules are loaded, before the timed part, MiB. */
  readonly baseRssMb: number;
  /** The task's own figures (objects, bytes, the split of the time...). */
  readonly details: Record<string, unknown>;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2]) as Task;
  const result = await perform(task);
  if (process.send) {
    process.send(result, () => process.exit(0));
  } else {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

function perform(task: Task): Promise<unknown> | unknown {
  switch (task.task) {
    case 'synth': return synth(task.variant, task.n, task.profile);
    case 'compare': return compare(task.n);
    case 'corpus': return (require('./corpus') as typeof import('./corpus')).writeCorpus(task.file, task.objects);
    case 'lint': return lint(task.variant, task.file, task.profile);
  }
}

/** Builds the app and synthesizes it to a temporary directory, as `cdk8s synth` does. */
async function synth(variant: SynthVariant, n: number, profile?: string): Promise<Measurement> {
  const loaded = loadModule(() => ({
    cdk8s: require('cdk8s') as typeof import('cdk8s'),
    build: variant === 'library'
      ? (require('./library-app') as typeof import('./library-app')).libraryApp
      : (require('./hand-written-app') as typeof import('./hand-written-app')).handWrittenApp,
  }));
  const { cdk8s, build } = loaded.module;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-synth-${variant}-`));
  try {
    const baseRssMb = process.memoryUsage().rss / MB;
    const profiler = profile === undefined ? undefined : await startProfile();
    const clock = startClock();
    const app = new cdk8s.App({ outdir });
    build(app, n);
    const built = clock.read().ms;
    app.synth();
    const time = clock.read();
    await profiler?.stop(profile!);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'));
    const yaml = files.map((f) => fs.readFileSync(path.join(outdir, f), 'utf-8')).join('');
    return {
      ...time,
      loadMs: loaded.ms,
      peakRssMb,
      baseRssMb,
      details: { constructMs: built, synthMs: time.ms - built, objects: countDocuments(yaml), bytes: Buffer.byteLength(yaml) },
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Whether both apps synthesize the same YAML, and where they first differ. */
function compare(n: number): Record<string, unknown> {
  const cdk8s = require('cdk8s') as typeof import('cdk8s');
  const { libraryApp } = require('./library-app') as typeof import('./library-app');
  const { handWrittenApp } = require('./hand-written-app') as typeof import('./hand-written-app');
  const library = new cdk8s.App();
  libraryApp(library, n);
  const hand = new cdk8s.App();
  handWrittenApp(hand, n);
  const a = library.synthYaml();
  const b = hand.synthYaml();
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  const firstDiff = linesA.findIndex((line, i) => line !== linesB[i]);
  return {
    identical: a === b,
    libraryObjects: countDocuments(a),
    handObjects: countDocuments(b),
    firstDifference: a === b ? undefined : { line: firstDiff + 1, library: linesA[firstDiff], hand: linesB[firstDiff] },
  };
}

/**
 * floor: read the file and parse it with the command's own reader (`parseManifests`: YAML as
 * kubectl reads it, each document to JSON), nothing else. engine: `lintManifests` over objects
 * parsed before the clock starts. command: `run(['lint', file])` in-process, output to a counting sink.
 */
async function lint(variant: LintVariant, file: string, profile?: string): Promise<Measurement> {
  if (variant === 'floor') {
    const loaded = loadModule(() => require('../src/cli/manifests') as typeof import('../src/cli/manifests'));
    const baseRssMb = process.memoryUsage().rss / MB;
    const profiler = profile === undefined ? undefined : await startProfile();
    const clock = startClock();
    const text = await fs.promises.readFile(file, 'utf-8');
    const objects = loaded.module.parseManifests(file, text).length;
    const time = clock.read();
    await profiler?.stop(profile!);
    return { ...time, loadMs: loaded.ms, peakRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb, details: { objects } };
  }

  if (variant === 'engine') {
    const loaded = loadModule(() => ({
      manifests: require('../src/cli/manifests') as typeof import('../src/cli/manifests'),
      lint: require('../src/lint/lint') as typeof import('../src/lint/lint'),
    }));
    const parseStart = performance.now();
    const objects = loaded.module.manifests.parseManifests(file, fs.readFileSync(file, 'utf-8')).map((m) => m.object);
    const parseMs = performance.now() - parseStart;
    const baseRssMb = process.memoryUsage().rss / MB;
    const profiler = profile === undefined ? undefined : await startProfile();
    const clock = startClock();
    const findings = loaded.module.lint.lintManifests(objects);
    const time = clock.read();
    await profiler?.stop(profile!);
    return {
      ...time,
      loadMs: loaded.ms,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      baseRssMb,
      details: { objects: objects.length, findings: findings.length, parseManifestsMs: parseMs },
    };
  }

  const loaded = loadModule(() => require('../src/cli/main') as typeof import('../src/cli/main'));
  let stdoutBytes = 0;
  let stderr = '';
  const io = {
    stdin: process.stdin,
    stdout: { write: (text: string) => { stdoutBytes += Buffer.byteLength(text); return true; } },
    stderr: { write: (text: string) => { stderr += text; return true; } },
  };
  const baseRssMb = process.memoryUsage().rss / MB;
  const profiler = profile === undefined ? undefined : await startProfile();
  const clock = startClock();
  const code = await loaded.module.run(['lint', file], io);
  const time = clock.read();
  await profiler?.stop(profile!);
  if (code === 2) {
    throw new Error(`the command failed: ${stderr.trim()}`);
  }
  return {
    ...time,
    loadMs: loaded.ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb,
    details: { exitCode: code, reportBytes: stdoutBytes },
  };
}

/** Wall and CPU time since the clock started. */
function startClock(): { read(): { ms: number; cpuMs: number } } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    read: () => {
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
    },
  };
}

function loadModule<T>(load: () => T): { module: T; ms: number } {
  const start = performance.now();
  const module = load();
  return { module, ms: performance.now() - start };
}

/** The number of YAML documents cdk8s wrote (it separates them with `---` lines). */
function countDocuments(yaml: string): number {
  return yaml.trim() === '' ? 0 : yaml.split(/^---$/m).length;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
