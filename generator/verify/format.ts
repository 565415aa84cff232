/**
 * The three ways `chartkit verify` prints its report: text for people, JSON for scripts, and SARIF
 * 2.1.0 for GitHub code scanning (every result with a location, every rule described, what was not
 * checked as tool notifications).
 */
import { readFileSync } from 'node:fs';
import { SARIF_RULE_IDS, VERIFY_CHECKS, type Finding, type VerifyCheckId, type VerifyReport } from './findings.js';

/** The output formats. */
export const VERIFY_FORMATS = ['text', 'json', 'sarif'] as const;
/** One of {@link VERIFY_FORMATS}. */
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

/** The report as text: a header, each finding with its fix, then what was not checked. */
export function formatText(report: VerifyReport): string {
  const total = Object.values(report.objects).reduce((sum, count) => sum + count, 0);
  const rendered =
    total === 0
      ? 'nothing rendered'
      : `${total} objects (${Object.entries(report.objects)
          .map(([chart, count]) => `${chart} ${count}`)
          .join(', ')})`;
  const lines = [`chartkit verify: ${report.environment}, Helm ${report.helm}: ${rendered}; checks: ${report.checks.join(', ')}`];
  for (const finding of report.findings) {
    lines.push(`${finding.check}: ${finding.object}${finding.path ? ` [${finding.path}]` : ''}: ${finding.message}`);
    if (finding.fix) lines.push(`  fix: ${finding.fix}`);
  }
  if (report.notChecked.length > 0) {
    lines.push(`NOT CHECKED (${report.notChecked.length}):`);
    for (const item of report.notChecked) lines.push(`  ${item.check}: ${item.what}: ${item.why}`);
  }
  lines.push(report.findings.length === 0 ? 'no findings' : `${report.findings.length} finding(s)`);
  return lines.join('\n');
}

/** The report as JSON (the {@link VerifyReport} itself). */
export function formatJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2);
}

/** Where a SARIF result points: a file (relative to the working directory) and a line. */
export interface SarifArtifact {
  readonly uri: string;
  /** The file's text, to find the line a values path is set on. */
  readonly text?: string;
}

/** The 1-based line of `text` where the last key of a dotted values path is set (its deepest match), else 1. */
export function lineOfPath(text: string | undefined, dotted: string | undefined): number {
  if (!text || !dotted) return 1;
  const keys = dotted.split('.');
  const lines = text.split('\n');
  let from = 0;
  let found = 0;
  let indent = -1;
  for (const key of keys) {
    const pattern = new RegExp(`^(\\s*)["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`);
    let hit = -1;
    for (let index = from; index < lines.length; index += 1) {
      const match = pattern.exec(lines[index]!);
      if (match && match[1]!.length > indent) {
        hit = index;
        indent = match[1]!.length;
        break;
      }
    }
    if (hit < 0) break;
    found = hit + 1;
    from = hit + 1;
  }
  return found || 1;
}

/** Reads an artifact's text for {@link lineOfPath}, or none when it cannot be read. */
export function artifact(uri: string): SarifArtifact {
  try {
    return { uri, text: readFileSync(uri, 'utf8') };
  } catch {
    return { uri };
  }
}

/**
 * The report as a SARIF 2.1.0 log. Each finding is a result at `locate(finding)`: the values file
 * (and line) that sets its values path, else the file the values came from.
 */
export function formatSarif(report: VerifyReport, options: { readonly version: string; readonly locate: (finding: Finding) => SarifArtifact }): string {
  const ids = Object.keys(VERIFY_CHECKS) as VerifyCheckId[];
  const rules = ids.map((id) => ({
    id: SARIF_RULE_IDS[id],
    name: id,
    shortDescription: { text: `chartkit verify: ${id}` },
    fullDescription: { text: `Checks ${VERIFY_CHECKS[id]}.` },
    help: {
      text: `The ${id} check of chartkit verify judges ${VERIFY_CHECKS[id]}. Each result names the object, the values path where one is known, and the fix.`,
    },
    defaultConfiguration: { level: 'error' },
  }));
  const results = report.findings.map((finding) => {
    const where = options.locate(finding);
    return {
      ruleId: SARIF_RULE_IDS[finding.check],
      ruleIndex: ids.indexOf(finding.check),
      level: 'error',
      message: { text: `${finding.object}${finding.path ? ` (${finding.path})` : ''}: ${finding.message}${finding.fix ? ` Fix: ${finding.fix}` : ''}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: where.uri }, region: { startLine: lineOfPath(where.text, finding.path) } },
          logicalLocations: [{ fullyQualifiedName: finding.path ?? finding.object, kind: finding.path ? 'member' : 'object' }],
        },
      ],
      partialFingerprints: { chartkitFinding: `${finding.check}|${finding.object}|${finding.path ?? ''}|${finding.message}` },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'chartkit', version: options.version, informationUri: 'https://github.com/restaurant-platform/chartkit', rules } },
        automationDetails: { id: `chartkit-verify/${report.environment}/` },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.notChecked.map((item) => ({
              level: 'warning',
              message: { text: `not checked (${item.check}): ${item.what}: ${item.why}` },
            })),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
