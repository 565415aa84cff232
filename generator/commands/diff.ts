/**
 * Argument parsing of `chartkit diff`: argv in, one {@link diff} call, the report out. Exit 0 when
 * nothing breaks on upgrade, 1 when something does, 2 when it cannot compare.
 */
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { diff, formatDiff } from '../diff/index.js';
import { parsePlatformArgs } from './platform-args.js';

/** Usage line of the diff command. */
export const DIFF_USAGE =
  'diff <chart> --from <git-ref | DIR> [--to DIR] [--env dev|staging|prod] [-f <values.yaml>]... [--set K=V]... [--helm 3|4] [--format text|json] [--output FILE]';

/** Runs `chartkit diff …`; returns the exit code. */
export async function diffCommand(
  argv: readonly string[],
  io: { readonly root: string; readonly cwd: string; readonly out: (text: string) => void },
): Promise<number> {
  const { inputs, format, output, outputArg, extra, positionals } = parsePlatformArgs<'text' | 'json'>(argv, {
    usage: DIFF_USAGE,
    formats: ['text', 'json'],
    cwd: io.cwd,
    extra: { from: undefined, to: undefined },
    defaultEnv: 'prod',
    positionals: true,
  });
  const [chart, ...rest] = positionals;
  if (!chart || rest.length > 0 || !extra['from']) throw new UserError(`usage: chartkit ${DIFF_USAGE}`, 2);
  const from = existsDirectory(path.resolve(io.cwd, extra['from'])) ? path.resolve(io.cwd, extra['from']) : extra['from'];
  const report = await diff(io.root, { chart, from, ...(extra['to'] ? { to: path.resolve(io.cwd, extra['to']) } : {}), ...inputs });
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
