/**
 * Runs the helm binary for publishing: argument arrays (no shell), a private registry
 * configuration so a login never touches the user's, and every line of output passed through
 * {@link redact} before anyone sees it, so a secret that a tool echoes cannot reach a log.
 */
import { execa } from 'execa';
import { UserError } from '../errors.js';

/** One helm invocation's outcome. */
export interface HelmRun {
  readonly ok: boolean;
  /** stdout and stderr, redacted. */
  readonly stdout: string;
  readonly stderr: string;
}

/** Replaces every secret in `text` with `***`. Secrets shorter than 4 characters are still redacted. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join('***');
    // The base64 form, as in an Authorization header or a docker config.json, too.
    const encoded = Buffer.from(secret).toString('base64').replace(/=+$/, '');
    if (encoded.length >= 4) out = out.split(encoded).join('***');
  }
  return out;
}

/** Options for {@link HelmRunner}. */
export interface HelmRunnerOptions {
  /** The helm binary. */
  readonly bin: string;
  /** Environment added to the process's (HELM_REGISTRY_CONFIG and the like). */
  readonly env: Readonly<Record<string, string>>;
  /** Values that must never appear in output: passwords, tokens. */
  readonly secrets: readonly string[];
}

/** A helm binary bound to one environment and one set of secrets to redact. */
export class HelmRunner {
  constructor(private readonly options: HelmRunnerOptions) {}

  /** The helm binary this runner calls. */
  get bin(): string {
    return this.options.bin;
  }

  /** Runs helm; never throws on a non-zero exit (see {@link HelmRunner.check}). */
  async run(args: readonly string[], input?: string): Promise<HelmRun> {
    const result = await execa(this.options.bin, [...args], {
      reject: false,
      env: { ...this.options.env },
      ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
    });
    if (result.failed && result.exitCode === undefined) {
      throw new UserError(`could not run ${this.options.bin}: ${redact(result.shortMessage ?? '', this.options.secrets)}`);
    }
    return {
      ok: result.exitCode === 0,
      stdout: redact(String(result.stdout ?? ''), this.options.secrets),
      stderr: redact(String(result.stderr ?? ''), this.options.secrets),
    };
  }

  /** Runs helm and throws a {@link UserError} with `what` and helm's (redacted) error when it fails. */
  async check(what: string, args: readonly string[], input?: string): Promise<HelmRun> {
    const result = await this.run(args, input);
    if (!result.ok) throw new UserError(`${what} failed: ${lastError(result)}`);
    return result;
  }
}

/** Helm's error line(s), without the usage text some versions append. */
export function lastError(run: HelmRun): string {
  const text = `${run.stderr}\n${run.stdout}`.trim();
  const errors = text.split('\n').filter((line) => /^Error:/.test(line));
  const message = (errors.length > 0 ? errors.join('; ') : text.split('\n').slice(-3).join('; ')).replace(/^Error:\s*/, '');
  // Go's TLS client says this when the registry speaks plain HTTP: name the flag that fixes it.
  return /server gave HTTP response to HTTPS client/.test(text) ? `${message} (the registry speaks plain HTTP: add --plain-http)` : message;
}

/** The `Digest: sha256:…` line helm push and helm pull print. */
export function parseDigest(run: HelmRun): string | undefined {
  return /^Digest:\s*(sha256:[0-9a-f]{64})\s*$/m.exec(`${run.stdout}\n${run.stderr}`)?.[1];
}
