/**
 * Argument parsing of `chartkit verify`: argv in, one {@link verify} call, the report out in the
 * chosen format. Exit 0 without findings, 1 with findings; anything that stops it from checking
 * (a missing file, no upstream charts, a bad flag) is exit 2, as is a bug.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parsePlatformArgs } from './platform-args.js';
import { verify, type Finding } from '../verify/index.js';
import { artifact, formatJson, formatSarif, formatText, lineOfPath, VERIFY_FORMATS, type SarifArtifact, type VerifyFormat } from '../verify/format.js';
import { PLATFORM_CHART } from '../verify/render.js';

/** Usage line of the verify command. */
export const VERIFY_USAGE = 'verify --env dev|staging|prod [-f <values.yaml>]... [--set K=V]... [--helm 3|4] [--format text|json|sarif] [--output FILE]';

/** Runs `chartkit verify …`; returns the exit code. */
export async function verifyCommand(
  argv: readonly string[],
  io: { readonly root: string; readonly cwd: string; readonly out: (text: string) => void },
): Promise<number> {
  const { inputs, format, output, outputArg } = parsePlatformArgs<VerifyFormat>(argv, { usage: VERIFY_USAGE, formats: VERIFY_FORMATS, cwd: io.cwd });
  const { files } = inputs;
  const report = await verify(io.root, inputs);
  // With --output the report goes to the file (a SARIF upload step reads it) and one line to stdout.
  const emit = (text: string) => {
    if (!output) return io.out(text);
    writeFileSync(output, `${text}\n`);
    io.out(
      `chartkit verify: ${report.environment}: ${report.findings.length === 0 ? 'no findings' : `${report.findings.length} finding(s)`}; ${format} report in ${outputArg}`,
    );
  };
  if (format === 'text') emit(formatText(report));
  else if (format === 'json') emit(formatJson(report));
  else {
    const version = (JSON.parse(readFileSync(path.join(io.root, 'package.json'), 'utf8')) as { version: string }).version;
    const relative = (file: string) => path.relative(io.cwd, file).split(path.sep).join('/');
    const fallback = relative(path.join(io.root, 'charts', PLATFORM_CHART, `values-${inputs.environment}.yaml`));
    const artifacts = files.map((file) => ({ ...artifact(file), uri: relative(file) }));
    // The last file that sets the path wins in Helm's merge, so it is the one to point at.
    const locate = (finding: Finding): SarifArtifact =>
      [...artifacts].reverse().find((candidate) => finding.path && lineOfPath(candidate.text, finding.path) > 1) ?? artifacts[0] ?? { uri: fallback };
    emit(formatSarif(report, { version, locate }));
  }
  return report.findings.length === 0 ? 0 : 1;
}
