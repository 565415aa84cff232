/**
 * Argument parsing of `chartkit bump`: argv in, one call to {@link bump} out, with the regeneration
 * injected by the CLI (an umbrella vendors the bumped chart, so every chart is regenerated).
 */
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { bump, BUMP_LEVELS, recordChanges, type BumpLevel } from '../versioning/bump.js';
import { breakingChanges, findBreakage } from '../versioning/breakage.js';
import { baseRef } from '../versioning/rule.js';
import { repoRoot } from '../paths.mjs';

/** Usage line of the bump command. */
export const BUMP_USAGE = 'bump <chart> patch|minor|major --change "[kind: ]what changed"...';

/**
 * Runs `chartkit bump <chart> <level> --change …`: raises the version, regenerates, then renders
 * the upgrade from the base ref (else HEAD: the last committed version) and adds its breaking
 * findings to the new version's change log.
 */
export async function bumpCommand(
  argv: readonly string[],
  io: { readonly out: (line: string) => void; readonly regenerate: (chart: string) => number; readonly root?: string },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { change: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true,
  });
  const [chart, level, ...extra] = positionals;
  if (!chart || !level || extra.length > 0) throw new UserError(`usage: chartkit ${BUMP_USAGE}`);
  if (!(BUMP_LEVELS as readonly string[]).includes(level)) throw new UserError(`bump level "${level}": choose ${BUMP_LEVELS.join(', ')}`);
  const root = io.root ?? repoRoot;
  const result = bump({ chart, level: level as BumpLevel, changes: values.change ?? [], regenerate: io.regenerate, root });
  io.out(`chartkit: ${chart} ${result.from} → ${result.to}; wrote ${result.files} files (commit generator/charts/releases.json and charts/${chart})`);
  const ref = baseRef(root) ?? 'HEAD';
  const [upgrade] = await findBreakage({ root, ref, charts: [chart], includeMajor: true });
  const changes = breakingChanges(upgrade?.findings ?? []);
  if (changes.length > 0) {
    recordChanges(root, chart, result.to, changes);
    io.regenerate(chart);
    io.out(`chartkit: ${chart} ${result.to}: the upgrade from ${ref} breaks; recorded in its change log (artifacthub.io/changes):`);
    for (const change of changes) io.out(`  - ${change.kind}: ${change.description}`);
    if (level !== 'major') io.out(`chartkit: a breaking change needs a major version: \`npm run bump -- ${chart} major --change "…"\``);
  }
  return 0;
}
