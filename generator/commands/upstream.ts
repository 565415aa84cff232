/** `chartkit upstream sync|verify`: argument parsing and output; the work is in generator/upstream/ (sync.ts, cache.ts). */
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { PINS, pinId } from '../../values-schemas/platform/pins.js';
import { ensureUpstream, formatProblems, readLock, verifyCache, HOW_TO_GET } from '../upstream/cache.js';
import { syncLock } from '../upstream/sync.js';

/** The usage lines of the command. */
export const UPSTREAM_USAGE = 'upstream sync [--check] [--from <mirror-dir>] | upstream verify [--fetch] [--from <mirror-dir>]';

/** Runs `chartkit upstream …`; returns the exit code. */
export async function upstreamCommand(argv: readonly string[], io: { root: string; out: (line: string) => void }): Promise<number> {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: [...rest],
    options: { from: { type: 'string' }, fetch: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } },
    strict: true,
  });
  switch (action) {
    case 'sync': {
      const lock = await syncLock({ root: io.root, from: values.from, check: values.check });
      if (values.check) {
        io.out(
          `chartkit: values-schemas/platform/upstream-lock.json is up to date (${Object.keys(lock.charts).length} charts, ${Object.keys(lock.crds).length} CRD sets)`,
        );
        return 0;
      }
      io.out(
        `chartkit: locked ${Object.keys(lock.charts).length} charts and ${Object.keys(lock.crds).length} CRD sets in values-schemas/platform/upstream-lock.json`,
      );
      return 0;
    }
    case 'verify': {
      if (values.fetch || values.from) await ensureUpstream({ root: io.root, from: values.from });
      const problems = verifyCache(io.root, readLock(io.root));
      if (problems.length > 0) throw new UserError(`${formatProblems(problems)}\n${HOW_TO_GET}`);
      for (const pin of PINS) io.out(`ok  ${pinId(pin)}`);
      return 0;
    }
    default:
      throw new UserError(`unknown upstream action ${action === undefined ? '(none)' : `"${action}"`}: use sync or verify`);
  }
}
