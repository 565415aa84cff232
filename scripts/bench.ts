/**
 * Benchmarks, printed as figures (never asserted by a timed test):
 * - `helm template` medians for a floor chart (one ConfigMap), restaurant-app per environment and
 *   synthetic `services` maps of 50 and 200 services, as ratios to the floor, on Helm 3 and 4;
 * - `chartkit generate --check` wall time and peak memory;
 * - helm invocations in a full test run against the distinct renders it needed.
 *
 *   npm run bench                 # everything (runs the test suite for the invocation count)
 *   npm run bench -- --no-suite   # read the invocation log of the last test run instead
 *   npm run bench -- --runs 20    # more samples per figure (default 11)
 */
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { resolveHelm, HELM_MAJORS, type HelmMajor } from '../generator/toolchain.js';
import { repoRoot } from './tools/paths.mjs';
import { ENVIRONMENTS } from '../values-schemas/common/global.js';
import { ISTIO_API_VERSIONS, GATEWAY_API_VERSIONS } from '../test/helpers/api-versions.js';

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '11' }, 'no-suite': { type: 'boolean', default: false } } });
const runs = Math.max(10, Number(flags.runs));
const scratch = mkdtempSync(path.join(tmpdir(), 'chartkit-bench-'));
const apiArgs = [...ISTIO_API_VERSIONS, ...GATEWAY_API_VERSIONS].flatMap((api) => ['--api-versions', api]);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeHelm(helm: HelmMajor, args: string[]): Promise<number> {
  const bin = resolveHelm(helm);
  await execa(bin, args); // warm-up, and proof the render succeeds
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await execa(bin, args);
    samples.push(performance.now() - start);
  }
  return median(samples);
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

const rows: Array<[string, string, string]> = [];
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

try {
  const chart = path.join(repoRoot, 'charts', 'restaurant-app');
  const floor = floorChart();
  const fifty = syntheticServices(50);
  const twoHundred = syntheticServices(200);
  for (const helm of HELM_MAJORS) {
    const floorMs = await timeHelm(helm, ['template', 'floor', floor]);
    rows.push([`helm ${helm}: floor chart (1 ConfigMap)`, `${floorMs.toFixed(0)} ms`, '1.00×']);
    for (const environment of ENVIRONMENTS) {
      const ms = await timeHelm(helm, ['template', 'r', chart, '-f', path.join(chart, `values-${environment}.yaml`), ...apiArgs]);
      const ratio = ms / floorMs;
      rows.push([`helm ${helm}: restaurant-app ${environment}`, `${ms.toFixed(0)} ms`, `${ratio.toFixed(2)}×${environment === 'prod' ? ` (target ≤ 1.5×: ${verdict(ratio <= 1.5)})` : ''}`]);
    }
    const cases = [
      ['prod', []],
      ['prod + 50 services', ['-f', fifty]],
      ['prod + 200 services', ['-f', twoHundred]],
    ] as const;
    for (const [label, extra] of cases) {
      const args = ['template', 'r', chart, '-f', path.join(chart, 'values-prod.yaml'), ...extra, ...apiArgs];
      const ms = label === 'prod' ? undefined : await timeHelm(helm, args);
      if (ms !== undefined) {
        const ratio = ms / floorMs;
        rows.push([`helm ${helm}: restaurant-app ${label}`, `${ms.toFixed(0)} ms`, `${ratio.toFixed(2)}×${label.includes('200') ? ` (target ≤ 3×: ${verdict(ratio <= 3)})` : ''}`]);
      }
      // The same output from a template-free chart: how much of the cost is output volume alone.
      const staticMs = await timeHelm(helm, ['template', 'r', await staticChartOf(helm, args, label.replace(/\W+/g, '-'))]);
      rows.push([`helm ${helm}:   same output, no templating (${label})`, `${staticMs.toFixed(0)} ms`, `${(staticMs / floorMs).toFixed(2)}× (lower bound for this output)`]);
    }
  }

  const generate = await peakMemoryOf(process.execPath, [path.join(repoRoot, 'generator', 'bin', 'chartkit.js'), 'generate', '--check']);
  rows.push(['chartkit generate --check: wall time (median)', `${generate.ms.toFixed(0)} ms`, `target ≤ 1000 ms: ${verdict(generate.ms <= 1000)}`]);
  rows.push(['chartkit generate --check: peak RSS', `${generate.maxRssMb.toFixed(0)} MB`, `target ≤ 200 MB: ${verdict(generate.maxRssMb <= 200)}`]);

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
