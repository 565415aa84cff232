/**
 * chartkit: the command line. Parses arguments and calls a command function; a UserError prints
 * one line and exits 1, anything else is a bug and prints its stack (exit 2).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { checkUpgrades, generate, generateReport } from './commands/generate.js';
import { UserError } from './errors.js';
import { publishCommand, PUBLISH_USAGE } from './commands/publish.js';
import { bumpCommand, BUMP_USAGE } from './commands/bump.js';
import { upstreamCommand, UPSTREAM_USAGE } from './commands/upstream.js';
import { lint, lintReport } from './commands/lint.js';
import { goldens, goldensReport } from './commands/golden.js';
import { verifyCommand, VERIFY_USAGE } from './commands/verify.js';
import { reportCommand, REPORT_USAGE } from './commands/report.js';
import { diffCommand, DIFF_USAGE } from './commands/diff.js';
import { repoRoot } from './paths.mjs';

/** Each command's usage and what it does, for `chartkit <command> --help`. */
const COMMANDS: Readonly<Record<string, { usage: string; does: string }>> = {
  generate: {
    usage: 'generate [--check] [--chart <name>]...',
    does: 'write charts/ from the sources (--check: fail on drift and on a changed chart without a new version)',
  },
  lint: {
    usage: 'lint [--chart <name>]... [-f <values.yaml>]... [--set K=V]... [--helm 3|4]',
    does: 'helm template and helm lint --strict on Helm 3 and 4, every CI scenario (charts/<chart>/ci/) or the given values; fails on anything either reports',
  },
  goldens: {
    usage: 'goldens [--check] [--chart <name>]...',
    does: 'render every CI scenario with Helm 3 and 4 (which must agree) into test/goldens/<chart>/<scenario>.yaml (--check: fail on any that differs instead)',
  },
  verify: {
    usage: VERIFY_USAGE,
    does: "render the whole platform (restaurant-platform, and the observability umbrella from an `observability` block) from the environment's overlay and your values as helm install would, and run every check over it: values schemas and guards, Kubernetes schemas, the pinned CRDs, the API server's rules, Pod Security restricted, the mesh, cross-chart references, operations; exit 0 clean, 1 findings, 2 could not check",
  },
  report: {
    usage: REPORT_USAGE,
    does: "what the platform asks of a cluster and costs, from the same renders as verify: per workload and namespace the pods at minimum and maximum scale, CPU and memory requests and limits with the injected proxy (or ztunnel and waypoints), Istio's own pods, persistent volumes, totals, a monthly cost from a price table, and the mesh inventory",
  },
  diff: {
    usage: DIFF_USAGE,
    does: 'what upgrading a chart from an older version (a git ref, a directory, or a version pulled from an OCI registry, its provenance verified when signed) to this one does: objects added and removed, fields the API server will not update in place, everything else changed in place; each breaking or safe; exit 0 nothing breaks, 1 something does, 2 could not compare',
  },
  publish: { usage: PUBLISH_USAGE, does: 'package reproducibly, sign, push to an OCI registry and verify by pulling back' },
  bump: { usage: BUMP_USAGE, does: 'raise a chart version with a changelog entry, then regenerate' },
  upstream: {
    usage: UPSTREAM_USAGE,
    does: 'sync: fetch every pinned upstream chart and CRD set into .cache/upstream (from --from, CHARTKIT_UPSTREAM_DIR or the network) and rewrite values-schemas/platform/upstream-lock.json (--check: fail if it would change); verify: check the cache against the lock (--fetch: first get what is missing or differs)',
  },
};

const USAGE = ['usage:', ...Object.values(COMMANDS).map(({ usage }) => `  chartkit ${usage}`), '  chartkit <command> --help'].join('\n');

/** Runs one CLI invocation; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    const help = command !== undefined && COMMANDS[command];
    if (help && (rest.includes('--help') || rest.includes('-h'))) {
      console.log(`usage: chartkit ${help.usage}\n\n${help.does}.`);
      return 0;
    }
    switch (command) {
      case 'generate': {
        const { values } = parseArgs({
          args: [...rest],
          options: { check: { type: 'boolean', default: false }, chart: { type: 'string', multiple: true } },
          strict: true,
        });
        const generated = generate({ check: values.check, charts: values.chart });
        const result = values.check ? await checkUpgrades(generated) : generated;
        for (const line of generateReport(result, values.check)) console.log(line);
        return 0;
      }
      case 'lint': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            chart: { type: 'string', multiple: true },
            values: { type: 'string', short: 'f', multiple: true },
            set: { type: 'string', multiple: true },
            helm: { type: 'string', multiple: true },
          },
          strict: true,
        });
        const majors = (values.helm ?? ['3', '4']).map((major) => {
          if (major !== '3' && major !== '4') throw new UserError(`--helm ${major}: choose 3 or 4`);
          return Number(major) as 3 | 4;
        });
        const runs = await lint({
          root: repoRoot,
          charts: values.chart,
          values: values.values?.map((file) => path.resolve(file)),
          set: values.set,
          helm: majors,
          log: (line) => console.log(line),
        });
        console.log(lintReport(runs));
        return 0;
      }
      case 'goldens': {
        const { values } = parseArgs({
          args: [...rest],
          options: { check: { type: 'boolean', default: false }, chart: { type: 'string', multiple: true } },
          strict: true,
        });
        const changed = await goldens({ root: repoRoot, charts: values.chart, check: values.check, log: (line) => console.log(line) });
        console.log(goldensReport(changed, values.check));
        return 0;
      }
      case 'verify':
        return await verifyCommand(rest, { root: repoRoot, cwd: process.cwd(), out: (text) => console.log(text) });
      case 'report':
        return await reportCommand(rest, { root: repoRoot, cwd: process.cwd(), out: (text) => console.log(text) });
      case 'diff':
        return await diffCommand(rest, { root: repoRoot, cwd: process.cwd(), out: (text) => console.log(text) });
      case 'upstream':
        return await upstreamCommand(rest, { root: repoRoot, out: (line) => console.log(line) });
      case 'publish':
        return await publishCommand(rest, { stdin: process.stdin, env: process.env, out: (line) => console.log(line) });
      case 'bump':
        // Every chart is regenerated: an umbrella vendors the bumped chart and changes with it.
        return await bumpCommand(rest, { out: (line) => console.log(line), regenerate: () => generate().files });
      case undefined:
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UserError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`chartkit: ${error.message}`);
      return error.exitCode;
    }
    // parseArgs reports bad flags with a code; those are the user's, not bugs.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`chartkit: ${error.message}\n${USAGE}`);
      return 1;
    }
    console.error('chartkit: internal error (this is a bug, please report it):');
    console.error(error instanceof Error ? error.stack : error);
    return 2;
  }
}
