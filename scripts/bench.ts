/**
 * Benchmarks, printed as figures (never asserted by a timed test):
 * - `helm template` medians for a floor chart (one ConfigMap), restaurant-app per environment and
 *   synthetic `services` maps of 50 and 200 services, on Helm 3 and 4; each restaurant-app render
 *   beside a template-free chart of its own output (its lower bound), with the ratio between them
 *   and, for prod and 200 services, the target that ratio must meet;
 * - `chartkit generate --check` wall time and peak memory;
 * - `chartkit verify` on prod and on prod with 200 more services: its renders and its checks apart
 *   (from its own JSON report), and its peak memory;
 * - helm invocations in a full test run against the distinct renders it needed.
 *
 *   npm run bench                 # everything (runs the test suite for the invocation count)
 *   npm run bench -- --no-suite   # read the invocation log of the last test run instead
 *   npm run bench -- --runs 20    # more samples per figure (default 11)
 *   npm run bench -- --chart DIR  # time another copy of restaurant-app (an earlier commit's) the same way
 */
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { resolveHelm, HELM_MAJORS, type HelmMajor } from '../generator/toolchain.js';
import { repoRoot } from '../generator/paths.mjs';
import { ENVIRONMENTS } from '../values-schemas/common/global.js';
import { clusterApiVersions } from '../generator/scenarios.js';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '11' }, 'no-suite': { type: 'boolean', default: false }, chart: { type: 'string' } },
});
const runs = Math.max(10, Number(flags.runs));
const scratch = mkdtempSync(path.join(tmpdir(), 'chartkit-bench-'));
const apiArgs = clusterApiVersions().flatMap((api) => ['--api-versions', api]);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Median wall time of each of several `helm` invocations. Their runs are interleaved, so a change
 * of load on a shared machine (other processes come and go) weighs on all of them alike and their
 * ratio stays fair.
 */
async function timeHelm(helm: HelmMajor, ...invocations: string[][]): Promise<number[]> {
  const bin = resolveHelm(helm);
  for (const args of invocations) await execa(bin, args); // warm-up, and proof the render succeeds
  const samples = invocations.map((): number[] => []);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, args] of invocations.entries()) {
      const start = performance.now();
      await execa(bin, args);
      samples[index]!.push(performance.now() - start);
    }
  }
  return samples.map(median);
}

function floorChart(): string {
  const dir = path.join(scratch, 'floor');
  mkdirSync(path.join(dir, 'templates'), { recursive: true });
  writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: floor\nversion: 0.1.0\n');
  writeFileSync(path.join(dir, 'templates', 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: floor\ndata:\n  a: b\n');
  return dir;
}

/**
 * A chart whose one template is the given render, verbatim: what Helm costs for that much output
 * with no templating at all, the lower bound of any chart that emits it.
 */
async function staticChartOf(helm: HelmMajor, args: string[], name: string): Promise<string> {
  const { stdout } = await execa(resolveHelm(helm), args);
  const dir = path.join(scratch, `static-${name}-${helm}`);
  mkdirSync(path.join(dir, 'templates'), { recursive: true });
  writeFileSync(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: static-${name}\nversion: 0.1.0\n`);
  writeFileSync(path.join(dir, 'templates', 'all.yaml'), stdout.replace(/\{\{/g, '{{`{{`}}'));
  return dir;
}

function syntheticServices(count: number): string {
  const services: Record<string, unknown> = {};
  for (let index = 0; index < count; index += 1) {
    services[`svc-${String(index).padStart(3, '0')}`] = { ports: { http: { port: 8000 + (index % 1000), targetPort: 8000 + (index % 1000) } } };
  }
  const file = path.join(scratch, `services-${count}.yaml`);
  writeFileSync(file, JSON.stringify({ services }));
  return file;
}

async function peakMemoryOf(command: string, args: string[]): Promise<{ ms: number; maxRssMb: number }> {
  const probe = path.join(scratch, 'rss-probe.mjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(`\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`));\n");
  const samples: number[] = [];
  let maxRss = 0;
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    const result = await execa(command, args, { cwd: repoRoot, reject: false, env: { NODE_OPTIONS: `--import=${probe}` } });
    samples.push(performance.now() - start);
    maxRss = Math.max(maxRss, Number(/maxRSS=(\d+)/.exec(result.stderr)?.[1] ?? 0));
  }
  return { ms: median(samples), maxRssMb: maxRss / 1024 };
}

/** Medians of `chartkit verify --format json`'s own render and check timings, and its peak memory, over 5 runs (each renders both umbrellas). */
async function verifyFigures(args: readonly string[]): Promise<{ renderMs: number; checksMs: number; maxRssMb: number; objects: number }> {
  const probe = path.join(scratch, 'rss-probe.mjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(`\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`));\n");
  const render: number[] = [];
  const checks: number[] = [];
  let maxRss = 0;
  let objects = 0;
  for (let run = 0; run < 5; run += 1) {
    const result = await execa(process.execPath, [path.join(repoRoot, 'generator', 'bin', 'chartkit.js'), 'verify', ...args, '--format', 'json'], {
      cwd: repoRoot,
      reject: false,
      env: { NODE_OPTIONS: `--import=${probe}` },
    });
    if (result.exitCode !== 0) throw new Error(`chartkit verify ${args.join(' ')} exited ${result.exitCode}: ${result.stderr || result.stdout.slice(0, 400)}`);
    const report = JSON.parse(result.stdout) as { timings: { renderMs: number; checksMs: number }; objects: Record<string, number> };
    render.push(report.timings.renderMs);
    checks.push(report.timings.checksMs);
    objects = Object.values(report.objects).reduce((sum, count) => sum + count, 0);
    maxRss = Math.max(maxRss, Number(/maxRSS=(\d+)/.exec(result.stderr)?.[1] ?? 0));
  }
  return { renderMs: median(render), checksMs: median(checks), maxRssMb: maxRss / 1024, objects };
}

const rows: Array<[string, string, string]> = [];
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
/** The most a render may cost, as a multiple of its template-free lower bound. */
const TARGETS: Readonly<Record<string, number>> = { prod: 1.3, 'prod + 200 services': 1.5 };

try {
  // --chart: another copy of restaurant-app (a checkout of an earlier commit, say), for before/after figures.
  const chart = flags.chart ? path.resolve(flags.chart) : path.join(repoRoot, 'charts', 'restaurant-app');
  const floor = floorChart();
  const fifty = syntheticServices(50);
  const twoHundred = syntheticServices(200);
  for (const helm of HELM_MAJORS) {
    const [floorMs] = await timeHelm(helm, ['template', 'floor', floor]);
    rows.push([`helm ${helm}: floor chart (1 ConfigMap)`, `${floorMs!.toFixed(0)} ms`, '1.00× the floor']);
    for (const environment of ENVIRONMENTS.filter((candidate) => candidate !== 'prod')) {
      const [ms] = await timeHelm(helm, ['template', 'r', chart, '-f', path.join(chart, `values-${environment}.yaml`), ...apiArgs]);
      rows.push([`helm ${helm}: restaurant-app ${environment}`, `${ms!.toFixed(0)} ms`, `${(ms! / floorMs!).toFixed(2)}× the floor`]);
    }
    const cases = [
      ['prod', []],
      ['prod + 50 services', ['-f', fifty]],
      ['prod + 200 services', ['-f', twoHundred]],
    ] as const;
    for (const [label, extra] of cases) {
      const args = ['template', 'r', chart, '-f', path.join(chart, 'values-prod.yaml'), ...extra, ...apiArgs];
      // The same output from a template-free chart: the least any chart emitting it can cost.
      const staticArgs = ['template', 'r', await staticChartOf(helm, args, label.replace(/\W+/g, '-'))];
      const [ms, staticMs] = await timeHelm(helm, args, staticArgs);
      const ratio = ms! / staticMs!;
      const target = TARGETS[label];
      rows.push([`helm ${helm}: restaurant-app ${label}`, `${ms!.toFixed(0)} ms`, `${(ms! / floorMs!).toFixed(2)}× the floor`]);
      rows.push([
        `helm ${helm}:   same output, no templating`,
        `${staticMs!.toFixed(0)} ms`,
        `render / lower bound ${ratio.toFixed(2)}×${target === undefined ? '' : ` (target ≤ ${target}×: ${verdict(ratio <= target)})`}`,
      ]);
    }
  }

  const generate = await peakMemoryOf(process.execPath, [path.join(repoRoot, 'generator', 'bin', 'chartkit.js'), 'generate', '--check']);
  rows.push(['chartkit generate --check: wall time (median)', `${generate.ms.toFixed(0)} ms`, `target ≤ 1000 ms: ${verdict(generate.ms <= 1000)}`]);
  rows.push(['chartkit generate --check: peak RSS', `${generate.maxRssMb.toFixed(0)} MB`, `target ≤ 200 MB: ${verdict(generate.maxRssMb <= 200)}`]);

  // chartkit verify: the renders and the checks apart, for the default platform and 200 more services.
  const platformServices = path.join(scratch, 'platform-services-200.json');
  writeFileSync(platformServices, JSON.stringify({ 'restaurant-app': JSON.parse(readFileSync(twoHundred, 'utf8')) }));
  for (const [label, extra] of [
    ['prod', []],
    ['prod + 200 services', ['-f', platformServices]],
  ] as const) {
    const figures = await verifyFigures(['--env', 'prod', ...extra]);
    rows.push([`chartkit verify ${label}: renders (median)`, `${figures.renderMs.toFixed(0)} ms`, `${figures.objects} objects`]);
    rows.push([`chartkit verify ${label}: checks (median)`, `${figures.checksMs.toFixed(0)} ms`, `target ≤ 1000 ms: ${verdict(figures.checksMs <= 1000)}`]);
    rows.push([`chartkit verify ${label}: peak RSS`, `${figures.maxRssMb.toFixed(0)} MB`, `target ≤ 300 MB: ${verdict(figures.maxRssMb <= 300)}`]);
  }

  if (!flags['no-suite']) {
    console.error('bench: running the test suite to count helm invocations …');
    await execa('npx', ['vitest', 'run'], { cwd: repoRoot, reject: false, stdio: 'ignore' });
  }
  const latest = path.join(repoRoot, '.cache', 'test-runs', 'latest');
  const log = existsSync(latest) ? path.join(readFileSync(latest, 'utf8').trim(), 'helm-invocations.log') : '';
  if (log && existsSync(log)) {
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const distinct = new Set(lines.map((line) => line.split(' ')[0])).size;
    rows.push(['test run: helm invocations / distinct renders', `${lines.length} / ${distinct}`, `target equal: ${verdict(lines.length === distinct)}`]);
  } else {
    rows.push(['test run: helm invocations / distinct renders', 'no log', 'run `npm test` first']);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`chartkit benchmark (median of ${runs} runs, ${new Date().toISOString().slice(0, 10)})`);
for (const [name, figure, note] of rows) console.log(`${name.padEnd(width)}  ${figure.padStart(12)}  ${note}`);
