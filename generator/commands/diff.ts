/**
 * Argument parsing of `chartkit diff`: argv in, one {@link diff} call, the report out. Exit 0 when
 * nothing breaks on upgrade, 1 when something does, 2 when it cannot compare. An `oci://` old
 * version is pulled (and its provenance verified) into a temp folder first: the diff core compares
 * folders and git refs and knows nothing of registries.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { diff, formatDiff, type DiffReport } from '../diff/index.js';
import { isVersionRef, pullVersion, VERSION_REF_FORM } from '../publish/pull-version.js';
import { parsePlatformArgs } from './platform-args.js';
import { PUBLISH_ENV } from './publish.js';

/** Usage line of the diff command. */
export const DIFF_USAGE =
  `diff <chart> --from <git-ref | DIR | ${VERSION_REF_FORM}> [--plain-http | --ca-file FILE] [--keyring FILE] [--to DIR] ` +
  '[--env dev|staging|prod] [-f <values.yaml>]... [--set K=V]... [--helm 3|4] [--format text|json] [--output FILE]';

/** The flags that only mean something for an `oci://` `--from`. */
const REGISTRY_FLAGS = ['--plain-http', '--ca-file', '--keyring'] as const;

/** Runs `chartkit diff …`; returns the exit code. */
export async function diffCommand(
  argv: readonly string[],
  io: {
    readonly root: string;
    readonly cwd: string;
    readonly out: (text: string) => void;
    /** Where registry credentials are read from. @default process.env */
    readonly env?: NodeJS.ProcessEnv;
  },
): Promise<number> {
  const { inputs, format, output, outputArg, extra, switches, positionals } = parsePlatformArgs<'text' | 'json'>(argv, {
    usage: DIFF_USAGE,
    formats: ['text', 'json'],
    cwd: io.cwd,
    extra: { from: undefined, to: undefined, 'ca-file': undefined, keyring: undefined },
    switches: ['plain-http'],
    defaultEnv: 'prod',
    positionals: true,
  });
  const [chart, ...rest] = positionals;
  if (!chart || rest.length > 0 || !extra['from']) throw new UserError(`usage: chartkit ${DIFF_USAGE}`, 2);
  const to = extra['to'] ? { to: path.resolve(io.cwd, extra['to']) } : {};
  let report: DiffReport;
  if (isVersionRef(extra['from'])) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-pull-'));
    try {
      const env = io.env ?? process.env;
      // The credentials publish reads; one without the other is left to pullVersion to refuse.
      const username = env[PUBLISH_ENV.username];
      const password = env[PUBLISH_ENV.password];
      const pulled = await pullVersion(extra['from'], scratch, {
        chart,
        helm: inputs.helm,
        plainHttp: switches['plain-http'] === true,
        ...(extra['ca-file'] ? { caFile: path.resolve(io.cwd, extra['ca-file']) } : {}),
        ...(extra['keyring'] ? { keyring: path.resolve(io.cwd, extra['keyring']) } : {}),
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
      });
      report = await diff(io.root, { ...inputs, chart, from: pulled.chartDir, fromLabel: extra['from'], ...to });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    // A keyring ignored for a git ref would read as a verified comparison: refuse instead.
    const given = REGISTRY_FLAGS.filter((flag) => (flag === '--plain-http' ? switches['plain-http'] : extra[flag.slice(2)] !== undefined));
    if (given.length > 0) throw new UserError(`${given.join(', ')}: only for --from ${VERSION_REF_FORM}`, 2);
    const from = existsDirectory(path.resolve(io.cwd, extra['from'])) ? path.resolve(io.cwd, extra['from']) : extra['from'];
    report = await diff(io.root, { chart, from, ...to, ...inputs });
  }
  const text = format === 'json' ? JSON.stringify(report, null, 2) : formatDiff(report);
  if (output) {
    writeFileSync(output, `${text}\n`);
    io.out(`chartkit diff: ${chart}: ${report.breaking} breaking of ${report.findings.length}; ${format} report in ${outputArg}`);
  } else io.out(text);
  return report.breaking === 0 ? 0 : 1;
}

function existsDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
