/**
 * Argument parsing of `chartkit report`: argv in, one {@link report} call, the report out in the
 * chosen format. Anything that stops it (a bad flag, a missing file, values that do not render)
 * is exit 2; the report itself is exit 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { parsePlatformArgs } from './platform-args.js';
import { DEFAULT_PRICES, report, type Prices } from '../report/index.js';
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../report/format.js';

/** Usage line of the report command. */
export const REPORT_USAGE =
  'report --env dev|staging|prod [-f <values.yaml>]... [--set K=V]... [--prices FILE] [--nodes N] [--helm 3|4] [--format markdown|json|csv|svg] [--output FILE]';

/** A price table file (YAML or JSON): any of the default's keys, the rest from the default. */
export function readPrices(file: string): Prices {
  let parsed: unknown;
  try {
    parsed = yaml.load(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`--prices ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 2);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserError(`--prices ${file}: not a map of prices`, 2);
  const prices = { ...DEFAULT_PRICES, ...(parsed as Record<string, unknown>) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(prices)) {
    if (!(key in DEFAULT_PRICES)) throw new UserError(`--prices ${file}: unknown key ${key} (known: ${Object.keys(DEFAULT_PRICES).join(', ')})`, 2);
    if (key === 'currency' ? typeof value !== 'string' : typeof value !== 'number' || !(value >= 0))
      throw new UserError(`--prices ${file}: ${key} must be ${key === 'currency' ? 'a string' : 'a number ≥ 0'}`, 2);
  }
  return prices as unknown as Prices;
}

/** Runs `chartkit report …`; returns the exit code. */
export async function reportCommand(
  argv: readonly string[],
  io: { readonly root: string; readonly cwd: string; readonly out: (text: string) => void },
): Promise<number> {
  const { inputs, format, output, outputArg, extra } = parsePlatformArgs<ReportFormat>(argv, {
    usage: REPORT_USAGE,
    formats: REPORT_FORMATS,
    cwd: io.cwd,
    extra: { nodes: '3', prices: undefined },
  });
  const nodes = Number(extra['nodes']);
  if (!Number.isInteger(nodes) || nodes < 1) throw new UserError(`--nodes ${extra['nodes']}: a whole number of nodes, at least 1`, 2);
  const prices = extra['prices'] ? readPrices(path.resolve(io.cwd, extra['prices'])) : DEFAULT_PRICES;
  const result = await report(io.root, { ...inputs, nodes, prices });
  const text = formatReport(result, format);
  if (output) {
    writeFileSync(output, `${text}\n`);
    io.out(`chartkit report: ${result.environment}: ${result.totals.podsMin}–${result.totals.podsMax} pods; ${format} report in ${outputArg}`);
  } else io.out(text);
  return 0;
}
