/**
 * The flags `chartkit verify` and `chartkit report` share (the platform's renders from the user's
 * values, the output format and file), parsed and checked once. Any mistake is exit 2: the command
 * could not do its job, which is not a finding.
 */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import type { HelmMajor } from '../toolchain.js';
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import type { VerifyInputs } from '../verify/render.js';

/** What the shared flags give a command. */
export interface PlatformArgs<F extends string> {
  readonly inputs: VerifyInputs;
  readonly format: F;
  /** The file the report goes to, resolved; undefined for stdout. */
  readonly output: string | undefined;
  /** As given, for messages. */
  readonly outputArg: string | undefined;
  /** The command's own flags, as parsed. */
  readonly extra: Readonly<Record<string, string | undefined>>;
  /** The command's own boolean flags: true when given. */
  readonly switches: Readonly<Record<string, boolean>>;
  /** Positional arguments, for a command that takes them. */
  readonly positionals: readonly string[];
}

/**
 * Parses `--env`, `-f`, `--set`, `--helm`, `--format` (one of `formats`, the first the default)
 * and `--output`, plus the command's own string flags `extra` (name → default) and boolean flags
 * `switches` (false unless given).
 */
export function parsePlatformArgs<F extends string>(
  argv: readonly string[],
  spec: {
    readonly usage: string;
    readonly formats: readonly F[];
    readonly cwd: string;
    readonly extra?: Readonly<Record<string, string | undefined>>;
    /** The command's own boolean flags, by name. */
    readonly switches?: readonly string[];
    /** The environment when `--env` is not given; without it, `--env` is required. */
    readonly defaultEnv?: Environment;
    readonly positionals?: boolean;
  },
): PlatformArgs<F> {
  const options: ParseArgsConfig['options'] = {
    env: { type: 'string' },
    values: { type: 'string', short: 'f', multiple: true },
    set: { type: 'string', multiple: true },
    helm: { type: 'string', default: '4' },
    format: { type: 'string', default: spec.formats[0] },
    output: { type: 'string', short: 'o' },
    ...Object.fromEntries(
      Object.entries(spec.extra ?? {}).map(([name, value]) => [name, value === undefined ? { type: 'string' } : { type: 'string', default: value }]),
    ),
    ...Object.fromEntries((spec.switches ?? []).map((name) => [name, { type: 'boolean', default: false }])),
  };
  let values: Record<string, string | string[] | boolean | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: spec.positionals ?? false });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nusage: chartkit ${spec.usage}`, 2);
  }
  const env = (values['env'] as string | undefined) ?? spec.defaultEnv;
  if (!env || !(ENVIRONMENTS as readonly string[]).includes(env))
    throw new UserError(`--env: choose ${ENVIRONMENTS.join(', ')}\nusage: chartkit ${spec.usage}`, 2);
  const helm = values['helm'] as string;
  if (helm !== '3' && helm !== '4') throw new UserError(`--helm ${helm}: choose 3 or 4`, 2);
  const format = values['format'] as string;
  if (!(spec.formats as readonly string[]).includes(format)) throw new UserError(`--format ${format}: choose ${spec.formats.join(', ')}`, 2);
  const output = values['output'] as string | undefined;
  return {
    inputs: {
      environment: env as Environment,
      files: ((values['values'] as string[] | undefined) ?? []).map((file) => path.resolve(spec.cwd, file)),
      set: (values['set'] as string[] | undefined) ?? [],
      helm: Number(helm) as HelmMajor,
    },
    format: format as F,
    output: output === undefined ? undefined : path.resolve(spec.cwd, output),
    outputArg: output,
    extra: Object.fromEntries(Object.keys(spec.extra ?? {}).map((name) => [name, values[name] as string | undefined])),
    switches: Object.fromEntries((spec.switches ?? []).map((name) => [name, values[name] === true])),
    positionals,
  };
}
