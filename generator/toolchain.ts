/**
 * Finds the real binaries chartkit and its tests run: Helm 3 and 4, promtool, the OCI registry.
 * One resolver for all of them, so an override works the same in the CLI, the tests and the
 * benchmarks. A missing tool is an error that says how to get it.
 */
import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tools } from './paths.mjs';
import { UserError } from './errors.js';

/** A tool the project runs, as named in `generator/paths.mjs`. */
export type ToolName = keyof typeof tools;

/** A Helm major version the charts are tested with. */
export type HelmMajor = 3 | 4;

/**
 * The Helm versions the tests run with, in order: both, unless `CHARTKIT_HELM_MAJORS` names one
 * (`3` or `4`), as the CI matrix does to run the suite once per Helm version.
 */
export const HELM_MAJORS: readonly HelmMajor[] = ((selected) => (selected === '3' ? [3] : selected === '4' ? [4] : [3, 4]))(
  process.env.CHARTKIT_HELM_MAJORS,
) as readonly HelmMajor[];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a tool's binary: its environment override (`HELM3_BIN`, `HELM4_BIN`, `PROMTOOL_BIN`,
 * `REGISTRY_BIN`) when set, else the binary the install step extracted into `.tools/`.
 * @throws UserError naming `npm run setup` and the variable when the binary is missing.
 */
export function resolveTool(name: ToolName): string {
  const { bin, env } = tools[name];
  const override = process.env[env];
  const candidate = override || bin;
  if (isExecutable(candidate)) return candidate;
  const where = override ? `${env}=${override} is not an executable file` : `${candidate} is missing`;
  const binary = name.startsWith('helm') ? 'helm' : name === 'registry' ? 'docker-registry' : name;
  throw new UserError(`${name}: ${where}; run \`npm run setup\` (node scripts/install-tools.mjs ${name}) or set ${env} to a ${binary} binary`);
}

const majorOf = new Map<string, number>();

/** The major version a helm binary reports (cached per path). */
export function helmMajorOf(bin: string): number {
  let major = majorOf.get(bin);
  if (major === undefined) {
    const version = execFileSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' }).trim();
    major = Number(/^v(\d+)\./.exec(version)?.[1] ?? Number.NaN);
    majorOf.set(bin, major);
  }
  return major;
}

/**
 * The helm binary of a major version: `HELM<major>_BIN`, else `HELM_BIN` when it is that major,
 * else the extracted `.tools/helm<major>/helm`.
 */
export function resolveHelm(major: HelmMajor = 4): string {
  const generic = process.env.HELM_BIN;
  if (!process.env[tools[`helm${major}`].env] && generic && isExecutable(generic) && helmMajorOf(generic) === major) return generic;
  return resolveTool(`helm${major}`);
}
