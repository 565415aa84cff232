/**
 * Argument parsing of `chartkit bump`: argv in, one call to {@link bump} out, with the regeneration
 * injected by the CLI (an umbrella vendors the bumped chart, so every chart is regenerated).
 */
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { bump, BUMP_LEVELS, type BumpLevel } from '../versioning/bump.js';

/** Usage line of the bump command. */
export const BUMP_USAGE = 'bump <chart> patch|minor|major --change "[kind: ]what changed"...';

/** Runs `chartkit bump <chart> <level> --change …`. */
export function bumpCommand(argv: readonly string[], io: { readonly out: (line: string) => void; readonly regenerate: (chart: string) => number }): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { change: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  const [chart, level, ...extra] = positionals;
  if (!chart || !level || extra.length > 0) throw new UserError(`usage: chartkit ${BUMP_USAGE}`);
  if (!(BUMP_LEVELS as readonly string[]).includes(level)) throw new UserError(`bump level "${level}": choose ${BUMP_LEVELS.join(', ')}`);
  const result = bump({ chart, level: level as BumpLevel, changes: values.change ?? [], regenerate: io.regenerate });
  io.out(`chartkit: ${chart} ${result.from} → ${result.to}; wrote ${result.files} files (commit generator/charts/releases.json and charts/${chart})`);
  return 0;
}
