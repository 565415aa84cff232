/**
 * Argument parsing of `chartkit publish`: argv and the environment in, one call to {@link publish}
 * out. The password never comes from argv (it would show in the process list and shell history):
 * only from standard input or an environment variable.
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { formatPublishTable, publish, type PublishOptions } from '../publish/publish.js';

/** Usage line of the publish command. */
export const PUBLISH_USAGE =
  'publish --registry oci://HOST[:PORT]/PATH [--chart NAME]... [--exclude NAME]... [--plain-http] [--ca-file F] [--username U --password-stdin] ' +
  '[--sign --key NAME --keyring F [--verify-keyring F]] [--helm 3|4] [--dry-run]';

/** Environment variables the publish command reads. */
export const PUBLISH_ENV = {
  username: 'CHARTKIT_REGISTRY_USERNAME',
  password: 'CHARTKIT_REGISTRY_PASSWORD',
  passphrase: 'HELM_KEY_PASSPHRASE',
  /** A legacy secret keyring, base64-encoded (how CI secrets carry binary files), used when `--keyring` is absent. */
  keyring: 'CHARTKIT_SIGNING_KEYRING_BASE64',
} as const;

/** Where {@link publishCommand} reads from and writes to. */
export interface CommandIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

/** Maps `publish` argv and environment to {@link PublishOptions}. Exported for the CLI test. */
export async function publishOptions(argv: readonly string[], io: CommandIo): Promise<PublishOptions> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      registry: { type: 'string' },
      chart: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      'plain-http': { type: 'boolean', default: false },
      'ca-file': { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      sign: { type: 'boolean', default: false },
      key: { type: 'string' },
      keyring: { type: 'string' },
      'verify-keyring': { type: 'string' },
      helm: { type: 'string', default: '4' },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.registry) throw new UserError(`--registry is required\nusage: chartkit ${PUBLISH_USAGE}`);
  if (values.helm !== '3' && values.helm !== '4') throw new UserError(`--helm ${values.helm}: choose 3 or 4`);
  let keyring = values.keyring;
  if (values.sign && !keyring && io.env[PUBLISH_ENV.keyring]) {
    // Written where only this user can read it; removed when the process exits.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'chartkit-keyring-'));
    keyring = path.join(dir, 'secring.gpg');
    writeFileSync(keyring, Buffer.from(io.env[PUBLISH_ENV.keyring]!, 'base64'), { mode: 0o600 });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  if (values.sign && (!values.key || !keyring)) {
    throw new UserError(`--sign needs --key NAME and --keyring FILE (a legacy GnuPG keyring) or ${PUBLISH_ENV.keyring}`);
  }
  if (!values.sign && (values.key || values.keyring)) throw new UserError('--key and --keyring only make sense with --sign');
  const username = values.username ?? io.env[PUBLISH_ENV.username] ?? undefined;
  let password: string | undefined;
  if (values['password-stdin']) {
    password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    if (!password) throw new UserError('--password-stdin: standard input was empty');
  } else if (io.env[PUBLISH_ENV.password]) {
    password = io.env[PUBLISH_ENV.password];
  }
  if (password !== undefined && !username) throw new UserError(`a password was given but no user: pass --username or set ${PUBLISH_ENV.username}`);
  const passphrase = io.env[PUBLISH_ENV.passphrase];
  return {
    registry: values.registry,
    ...(values.chart ? { charts: values.chart } : {}),
    ...(values.exclude ? { exclude: values.exclude } : {}),
    plainHttp: values['plain-http'],
    ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(values.sign ? { sign: { key: values.key!, keyring: keyring!, ...(passphrase ? { passphrase } : {}) } } : {}),
    ...(values['verify-keyring'] ? { verifyKeyring: values['verify-keyring'] } : {}),
    helm: values.helm === '3' ? 3 : 4,
    dryRun: values['dry-run'],
  };
}

/** Runs `chartkit publish`: prints progress, then the table of chart, version and digest. */
export async function publishCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const options = await publishOptions(argv, io);
  const rows = await publish({ ...options, log: (line) => io.out(`chartkit: ${line}`) });
  io.out(formatPublishTable(rows));
  return 0;
}
