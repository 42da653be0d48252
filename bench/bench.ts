/**
 * The performance benchmark (`npm run bench`): synthesis with the library against the same app
 * written by hand with cdk8s-plus-27, and the linter against the floor of merely parsing its
 * input. Each measurement runs in a fresh child process; the variants alternate (A, B, A, B...)
 * so machine noise hits both. Prints a table, checks the targets of issue 6 and writes the
 * figures to bench/results.json so a later change can be compared with this one.
 *
 *   ts-node -T -P bench/tsconfig.json bench/bench.ts [options]
 *
 *   --check          exit 1 when a target fails (by default the bench always exits 0)
 *   --runs K         K runs of every measurement instead of the defaults
 *   --only synth|lint  measure one half (the results file then holds only that half)
 *   --profile        after measuring, profile the library and the linter and print the hotspots
 *   --profile-only   profile without measuring (writes no results file)
 *   --out FILE       where to write the results (default bench/results.json)
 */
import { execFileSync, fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileToTemp, ROOT } from './compile';
import { ProfileSummary, Spent, summarizeProfile } from './profile';
import type { LintVariant, Measurement, SynthVariant, Task } from './worker';

/** Agents per app, and how many runs each (the median is kept). */
const SYNTH_SIZES: ReadonlyArray<{ n: number; runs: number }> = [
  { n: 10, runs: 7 },
  { n: 100, runs: 7 },
  { n: 1000, runs: 9 },
];
const LINT_OBJECTS = 10_000;
const LINT_RUNS = 5;
/** The app size both apps are compared at, object for object, before measuring. */
const COMPARE_N = 3;

/** The targets of issue 6. */
const LIMITS = {
  synthTime: 1.25,
  synthRss: 1.5,
  growth: 12,
  lint: 2,
};

interface Options {
  readonly check: boolean;
  readonly runs?: number;
  readonly only?: 'synth' | 'lint';
  readonly profile: boolean;
  readonly profileOnly: boolean;
  readonly out: string;
}

/** The median, min and max of several runs of one measurement. */
interface Stats {
  readonly medianMs: number;
  /** CPU time (user + system) of the timed part. */
  readonly medianCpuMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly medianPeakRssMb: number;
  readonly medianBaseRssMb: number;
  readonly medianLoadMs: number;
  readonly samplesMs: number[];
  readonly samplesPeakRssMb: number[];
}

interface SynthRow {
  readonly n: number;
  readonly runs: number;
  readonly objects: number;
  readonly bytes: number;
  readonly library: Stats & { readonly medianConstructMs: number; readonly medianSynthMs: number };
  readonly hand: Stats & { readonly medianConstructMs: number; readonly medianSynthMs: number };
  /** library / hand, median time. */
  readonly timeRatio: number;
  /** library / hand, median peak RSS. */
  readonly rssRatio: number;
  /** The median of each run's library / hand ratio (runs are paired: library, then hand): a check on noise. */
  readonly pairedTimeRatio: number;
  readonly pairedRssRatio: number;
  /** library / hand, median CPU time: a check on noise from other work on the machine. */
  readonly cpuRatio: number;
}

interface LintResult {
  readonly objects: number;
  readonly bytes: number;
  readonly kinds: Record<string, number>;
  readonly findings: number;
  readonly runs: number;
  readonly floor: Stats;
  readonly engine: Stats & { readonly medianParseManifestsMs: number };
  readonly command: Stats;
  /** engine / floor: what the rules add, as a share of parsing. */
  readonly engineOverFloor: number;
  /** (floor + engine) / floor: parsing then linting already parsed objects. */
  readonly parsePlusEngineRatio: number;
  /** command / floor: read, parse, lint and report. */
  readonly commandRatio: number;
}

interface Target {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly pass: boolean;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  log('compiling src/ and bench/ to a temporary directory');
  const compiled = compileToTemp();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-node-local-bench-data-'));
  try {
    if (options.profileOnly) {
      await profile(compiled, workDir, options);
      return 0;
    }
    const comparison = options.only === 'lint' ? undefined : await checkComparable(compiled);
    const synth = options.only === 'lint' ? undefined : await measureSynth(compiled, options);
    const lint = options.only === 'synth' ? undefined : await measureLint(compiled, workDir, options);
    const targets = evaluate(synth, lint);

    process.stdout.write(render(synth, lint, targets));
    const results = {
      version: 1,
      date: startedAt.toISOString(),
      durationS: round((Date.now() - startedAt.getTime()) / 1000, 1),
      command: 'npm run bench',
      // the load average is taken at the end: other work on the machine makes the figures noisier
      machine: machine(),
      source: source(),
      method: {
        synth: 'median of fresh processes, library and hand-written alternating; timed: new App + building the constructs + app.synth() '
          + 'to a temporary outdir (validation included); module loading is not timed (loadMs); peak RSS is the process maxRSS',
        lint: `median of fresh processes, floor/engine/command alternating, over one multi-document YAML file of ${LINT_OBJECTS} objects; `
          + 'floor: readFile + parseManifests, the command\'s reader (YAML as kubectl reads it, each document to JSON); engine: lintManifests on '
          + 'objects parsed before the clock starts; command: run([\'lint\', file]) in-process, report to a counting sink',
      },
      comparison,
      synth,
      growth: synth === undefined ? undefined : growth(synth),
      lint,
      targets,
    };
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, `${JSON.stringify(results, undefined, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), options.out)}`);

    if (options.profile) {
      await profile(compiled, workDir, options);
    }
    const failed = targets.filter((t) => !t.pass);
    return options.check && failed.length > 0 ? 1 : 0;
  } finally {
    fs.rmSync(compiled, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function parseOptions(argv: string[]): Options {
  let check = false;
  let runs: number | undefined;
  let only: 'synth' | 'lint' | undefined;
  let profileFlag = false;
  let profileOnly = false;
  let out = path.join(ROOT, 'bench', 'results.json');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') {
      check = true;
    } else if (arg === '--profile') {
      profileFlag = true;
    } else if (arg === '--profile-only') {
      profileOnly = true;
    } else if (arg === '--runs') {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) {
        throw new Error(`--runs needs a whole number of at least 1, got ${JSON.stringify(argv[i])}`);
      }
    } else if (arg === '--only') {
      const value = argv[++i];
      if (value !== 'synth' && value !== 'lint') {
        throw new Error(`--only takes synth or lint, got ${JSON.stringify(value)}`);
      }
      only = value;
    } else if (arg === '--out') {
      const value = argv[++i];
      if (value === undefined) {
        throw new Error('--out needs a file name');
      }
      out = path.resolve(value);
    } else {
      throw new Error(`unknown option ${arg}; allowed: --check, --runs K, --only synth|lint, --profile, --profile-only, --out FILE`);
    }
  }
  return { check, runs, only, profile: profileFlag, profileOnly, out };
}

/** Both apps must synthesize the same objects, or the comparison means nothing. */
async function checkComparable(compiled: string): Promise<Record<string, unknown>> {
  const result = await runWorker(compiled, { task: 'compare', n: COMPARE_N }) as Record<string, any>;
  if (result.libraryObjects !== result.handObjects) {
    throw new Error(`the apps are not comparable: at N=${COMPARE_N} the library synthesizes ${result.libraryObjects} objects and `
      + `the hand-written app ${result.handObjects}; update bench/hand-written-app.ts to match the construct's output`);
  }
  if (result.identical) {
    log(`library and hand-written apps synthesize identical YAML (N=${COMPARE_N}, ${result.libraryObjects} objects)`);
  } else {
    const d = result.firstDifference;
    log(`warning: the YAML differs (same ${result.libraryObjects} objects); first at line ${d.line}: `
      + `library ${JSON.stringify(d.library)}, hand-written ${JSON.stringify(d.hand)}; update bench/hand-written-app.ts`);
  }
  return { n: COMPARE_N, ...result };
}

async function measureSynth(compiled: string, options: Options): Promise<SynthRow[]> {
  const rows: SynthRow[] = [];
  for (const size of SYNTH_SIZES) {
    const runs = options.runs ?? size.runs;
    const samples: Record<SynthVariant, Measurement[]> = { library: [], hand: [] };
    for (let r = 0; r < runs; r++) {
      for (const variant of ['library', 'hand'] as const) {
        const m = await runWorker(compiled, { task: 'synth', variant, n: size.n }) as Measurement;
        samples[variant].push(m);
        log(`synth N=${size.n} ${variant} run ${r + 1}/${runs}: ${m.ms.toFixed(0)} ms, peak RSS ${m.peakRssMb.toFixed(0)} MB`);
      }
    }
    const objects = samples.library[0].details.objects as number;
    const handObjects = samples.hand[0].details.objects as number;
    if (objects !== handObjects) {
      throw new Error(`at N=${size.n} the library synthesized ${objects} objects and the hand-written app ${handObjects}`);
    }
    const library = { ...stats(samples.library), ...splitOf(samples.library) };
    const hand = { ...stats(samples.hand), ...splitOf(samples.hand) };
    rows.push({
      n: size.n,
      runs,
      objects,
      bytes: samples.library[0].details.bytes as number,
      library,
      hand,
      timeRatio: round(library.medianMs / hand.medianMs, 3),
      rssRatio: round(library.medianPeakRssMb / hand.medianPeakRssMb, 3),
      pairedTimeRatio: round(median(samples.library.map((s, i) => s.ms / samples.hand[i].ms)), 3),
      pairedRssRatio: round(median(samples.library.map((s, i) => s.peakRssMb / samples.hand[i].peakRssMb)), 3),
      cpuRatio: round(library.medianCpuMs / hand.medianCpuMs, 3),
    });
  }
  return rows;
}

function splitOf(samples: Measurement[]): { medianConstructMs: number; medianSynthMs: number } {
  return {
    medianConstructMs: round(median(samples.map((s) => s.details.constructMs as number))),
    medianSynthMs: round(median(samples.map((s) => s.details.synthMs as number))),
  };
}

async function measureLint(compiled: string, workDir: string, options: Options): Promise<LintResult> {
  const file = path.join(workDir, 'manifests.k8s.yaml');
  const corpus = await runWorker(compiled, { task: 'corpus', file, objects: LINT_OBJECTS }) as Record<string, any>;
  log(`wrote ${corpus.objects} objects (${(corpus.bytes / 1024 / 1024).toFixed(1)} MB of YAML) to lint`);
  const runs = options.runs ?? LINT_RUNS;
  const samples: Record<LintVariant, Measurement[]> = { floor: [], engine: [], command: [] };
  for (let r = 0; r < runs; r++) {
    for (const variant of ['floor', 'engine', 'command'] as const) {
      const m = await runWorker(compiled, { task: 'lint', variant, file }) as Measurement;
      samples[variant].push(m);
      log(`lint ${variant} run ${r + 1}/${runs}: ${m.ms.toFixed(0)} ms, peak RSS ${m.peakRssMb.toFixed(0)} MB`);
    }
  }
  const floor = stats(samples.floor);
  const engine = { ...stats(samples.engine), medianParseManifestsMs: round(median(samples.engine.map((s) => s.details.parseManifestsMs as number))) };
  const command = stats(samples.command);
  const parsed = samples.floor[0].details.objects as number;
  if (parsed !== corpus.objects || samples.engine[0].details.objects !== corpus.objects) {
    throw new Error(`the lint input holds ${corpus.objects} objects but the floor read ${parsed} and the engine ${samples.engine[0].details.objects}`);
  }
  return {
    objects: corpus.objects,
    bytes: corpus.bytes,
    kinds: corpus.kinds,
    findings: samples.engine[0].details.findings as number,
    runs,
    floor,
    engine,
    command,
    engineOverFloor: round(engine.medianMs / floor.medianMs, 3),
    parsePlusEngineRatio: round((floor.medianMs + engine.medianMs) / floor.medianMs, 3),
    commandRatio: round(command.medianMs / floor.medianMs, 3),
  };
}

function growth(rows: SynthRow[]): { library?: number; hand?: number } {
  const at = (n: number) => rows.find((r) => r.n === n);
  const small = at(100);
  const large = at(1000);
  if (!small || !large) {
    return {};
  }
  return {
    library: round(large.library.medianMs / small.library.medianMs, 2),
    hand: round(large.hand.medianMs / small.hand.medianMs, 2),
  };
}

function evaluate(synth: SynthRow[] | undefined, lint: LintResult | undefined): Target[] {
  const targets: Target[] = [];
  const target = (name: string, value: number, limit: number) => targets.push({ name, value: round(value, 3), limit, pass: value <= limit });
  const large = synth?.find((r) => r.n === 1000);
  if (large) {
    target('synth time at N=1000, library / hand-written', large.timeRatio, LIMITS.synthTime);
    target('synth peak RSS at N=1000, library / hand-written', large.rssRatio, LIMITS.synthRss);
  }
  const g = synth === undefined ? {} : growth(synth);
  if (g.library !== undefined) {
    target('synth growth, library t(1000) / t(100)', g.library, LIMITS.growth);
  }
  if (lint) {
    target(`lint ${lint.objects} objects, (parse floor + engine) / parse floor`, lint.parsePlusEngineRatio, LIMITS.lint);
    target(`lint ${lint.objects} objects, command / parse floor`, lint.commandRatio, LIMITS.lint);
  }
  return targets;
}

function render(synth: SynthRow[] | undefined, lint: LintResult | undefined, targets: Target[]): string {
  const out: string[] = [''];
  if (synth) {
    out.push('Synthesis: new App + constructs + app.synth() to a temp dir, median of fresh processes (library includes its validation);');
    out.push('ratio = median library / median hand-written; paired = median of the per-run ratios; CPU ratio = the same with CPU time');
    out.push(table(
      ['N', 'objects', 'runs', 'library ms', 'hand ms', 'ratio', 'paired', 'CPU ratio', 'lib build/synth ms', 'hand build/synth ms', 'RSS MB lib/hand', 'RSS ratio'],
      synth.map((r) => [
        String(r.n), String(r.objects), String(r.runs),
        r.library.medianMs.toFixed(0), r.hand.medianMs.toFixed(0), r.timeRatio.toFixed(2), r.pairedTimeRatio.toFixed(2), r.cpuRatio.toFixed(2),
        `${r.library.medianConstructMs.toFixed(0)}/${r.library.medianSynthMs.toFixed(0)}`,
        `${r.hand.medianConstructMs.toFixed(0)}/${r.hand.medianSynthMs.toFixed(0)}`,
        `${r.library.medianPeakRssMb.toFixed(0)}/${r.hand.medianPeakRssMb.toFixed(0)}`, r.rssRatio.toFixed(2),
      ]),
    ));
    const g = growth(synth);
    if (g.library !== undefined) {
      out.push(`growth t(1000)/t(100): library ${g.library.toFixed(2)}, hand-written ${g.hand!.toFixed(2)}`);
    }
    out.push('');
  }
  if (lint) {
    out.push(`Lint: ${lint.objects} objects, ${(lint.bytes / 1024 / 1024).toFixed(1)} MB of YAML, ${lint.findings} findings, median of ${lint.runs} fresh processes`);
    out.push(table(
      ['measurement', 'median ms', 'min-max ms', 'x parse floor', 'peak RSS MB'],
      [
        ['parse floor (parseManifests: read as kubectl reads)', lint.floor, 1],
        ['engine only (lintManifests, parsed input)', lint.engine, lint.engineOverFloor],
        ['parse floor + engine', undefined, lint.parsePlusEngineRatio],
        ['command (run lint: read, parse, lint, report)', lint.command, lint.commandRatio],
      ].map(([label, s, ratio]) => {
        const st = s as Stats | undefined;
        return [
          label as string,
          st ? st.medianMs.toFixed(0) : (lint.floor.medianMs + lint.engine.medianMs).toFixed(0),
          st ? `${st.minMs.toFixed(0)}-${st.maxMs.toFixed(0)}` : '',
          (ratio as number).toFixed(2),
          // the engine's process parsed its input first: its peak is the parser's, not the engine's
          st && st !== lint.engine ? st.medianPeakRssMb.toFixed(0) : '',
        ];
      }),
    ));
    out.push('');
  }
  if (targets.length > 0) {
    out.push('Targets');
    for (const t of targets) {
      out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value.toFixed(2)} (limit ${t.limit})`);
    }
    out.push('');
  }
  const m = machine();
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, node ${m.node}, ${m.platform}`);
  out.push('');
  return out.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

/** Profiles the timed part of one run of each: the library and the hand-written app at N=1000, the engine and the command. */
async function profile(compiled: string, workDir: string, options: Options): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-node-local-bench-profiles-'));
  const file = path.join(workDir, 'manifests.k8s.yaml');
  const jobs: Array<{ label: string; task: Task }> = [];
  if (options.only !== 'lint') {
    jobs.push({ label: 'synth-library-1000', task: { task: 'synth', variant: 'library', n: 1000, profile: path.join(dir, 'synth-library-1000.cpuprofile') } });
    jobs.push({ label: 'synth-hand-1000', task: { task: 'synth', variant: 'hand', n: 1000, profile: path.join(dir, 'synth-hand-1000.cpuprofile') } });
  }
  if (options.only !== 'synth') {
    if (!fs.existsSync(file)) {
      await runWorker(compiled, { task: 'corpus', file, objects: LINT_OBJECTS });
    }
    for (const variant of ['floor', 'engine', 'command'] as const) {
      jobs.push({ label: `lint-${variant}`, task: { task: 'lint', variant, file, profile: path.join(dir, `lint-${variant}.cpuprofile`) } });
    }
  }
  const out: string[] = ['', `Profiles (the timed part only; sampled every 200 us; files in ${dir}, open them in Chrome DevTools)`];
  for (const job of jobs) {
    await runWorker(compiled, job.task);
    const summary = summarizeProfile((job.task as { profile: string }).profile, compiled);
    out.push(renderProfile(job.label, summary));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function renderProfile(label: string, summary: ProfileSummary): string {
  const list = (title: string, items: Spent[], count: number) => [
    `  ${title}`,
    ...items.slice(0, count).map((s) => `    ${s.ms.toFixed(0).padStart(6)} ms ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.name}`),
  ];
  return [
    '',
    `${label}: ${summary.totalMs.toFixed(0)} ms sampled`,
    ...list('self time by area', summary.areas, 8),
    ...list('self time by function', summary.self, 12),
    ...list('inclusive time by function', summary.inclusive, 12),
    ...(summary.library.length > 0 ? list('inclusive time in the library (src/)', summary.library, 12) : []),
  ].join('\n');
}

/** Runs one task in a fresh `node` process from the compiled copy and returns its result. */
function runWorker(compiled: string, task: Task): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(compiled, 'bench', 'worker.js'), [JSON.stringify(task)], {
      cwd: compiled,
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: unknown;
    child.on('message', (message) => {
      result = message;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) {
        resolve(result);
      } else {
        reject(new Error(`the worker for ${JSON.stringify(task)} exited with code ${code}`));
      }
    });
  });
}

function stats(samples: Measurement[]): Stats {
  const ms = samples.map((s) => s.ms);
  return {
    medianMs: round(median(ms)),
    medianCpuMs: round(median(samples.map((s) => s.cpuMs))),
    minMs: round(Math.min(...ms)),
    maxMs: round(Math.max(...ms)),
    medianPeakRssMb: round(median(samples.map((s) => s.peakRssMb))),
    medianBaseRssMb: round(median(samples.map((s) => s.baseRssMb))),
    medianLoadMs: round(median(samples.map((s) => s.loadMs))),
    samplesMs: ms.map((v) => round(v)),
    samplesPeakRssMb: samples.map((s) => round(s.peakRssMb)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
  };
}

/** What was measured: the commit, whether src/ had changes, and the versions of the packages that matter. */
function source() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  const version = (pkg: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf-8')).version as string;
    } catch {
      return undefined;
    }
  };
  const changed = git('status', '--porcelain', '--', 'src');
  return {
    commit: git('rev-parse', 'HEAD'),
    srcChanged: changed === undefined ? undefined : changed !== '',
    packages: Object.fromEntries(['cdk8s', 'cdk8s-plus-27', 'constructs', 'yaml'].map((p) => [p, version(p)])),
  };
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
