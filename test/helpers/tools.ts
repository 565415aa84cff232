// Finds the real binaries the tests run. A missing tool is an error that says how to get it: tests
// that need a tool fail, they never skip.
import { accessSync, constants } from 'node:fs';
import { tools } from '../../scripts/tools/paths.mjs';

/** A tool the test helpers run, as named in scripts/tools/paths.mjs. */
export type ToolName = 'promtool' | 'registry';

/**
 * Returns the path of a tool's binary: the environment override (`PROMTOOL_BIN`, `REGISTRY_BIN`)
 * when set, else the binary the install step extracted into `.tools/`.
 *
 * @throws Error naming `npm run setup` and the environment variable when the binary is missing or
 *   not executable.
 */
export function resolveTool(name: ToolName): string {
  const { bin, env } = tools[name];
  const override = process.env[env];
  const candidate = override ? override : bin;
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    const where = override ? `${env}=${override} is not an executable file` : `${candidate} is missing`;
    throw new Error(
      `${name}: ${where}; run \`npm run setup\` (node scripts/install-tools.mjs ${name}) or set ${env} to a ${name === 'registry' ? 'docker-registry' : name} binary`,
    );
  }
}
