// Runs the real promtool on Prometheus rule files and rule unit tests: each call writes its inputs
// into a fresh temp folder, runs promtool there and removes the folder.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { resolveTool } from './tools.js';

/** The outcome of one promtool run: `ok` is its exit status 0, `output` its stdout and stderr. */
export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** One PromQL expression that promtool could not parse, see {@link checkExpressions}. */
export interface ExpressionError {
  /** Position of the expression in the array given to {@link checkExpressions}. */
  index: number;
  expr: string;
  /** promtool's message, e.g. `could not parse expression: 1:34: parse error: unclosed left parenthesis`. */
  message: string;
}

/** The outcome of {@link checkExpressions}. */
export interface ExpressionCheckResult extends PromtoolResult {
  /** One entry per expression promtool rejected, by index. Empty when `ok`. */
  errors: ExpressionError[];
}

function promtool(args: string[], cwd: string): Promise<PromtoolResult> {
  const bin = resolveTool('promtool');
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (error && typeof error.code !== 'number') {
        // Not an exit status: the binary could not be run at all.
        reject(new Error(`promtool: could not run ${bin}: ${error.message}`));
        return;
      }
      resolve({ ok: !error, output });
    });
  });
}

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chartkit-promtool-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `promtool check rules` on one rule file (Prometheus `groups:` YAML, not a PrometheusRule
 * object: pass its `spec`). Syntax, PromQL parse errors, template errors and duplicate rules are
 * reported in `output`.
 */
export function checkRules(ruleFileYaml: string): Promise<PromtoolResult> {
  return inTempDir(async (dir) => {
    writeFileSync(path.join(dir, 'rules.yml'), ruleFileYaml);
    return promtool(['check', 'rules', 'rules.yml'], dir);
  });
}

/**
 * Runs `promtool test rules` on one unit-test file. `ruleFiles` maps file names (relative, as the
 * test file's `rule_files:` lists them) to their content; they are written beside the test file.
 */
export function testRules(ruleFiles: Record<string, string>, testFileYaml: string): Promise<PromtoolResult> {
  return inTempDir(async (dir) => {
    for (const [name, content] of Object.entries(ruleFiles)) {
      const file = path.resolve(dir, name);
      if (!file.startsWith(`${dir}${path.sep}`)) throw new Error(`testRules: rule file name ${name} leaves the temp folder`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    writeFileSync(path.join(dir, 'test.yml'), testFileYaml);
    return promtool(['test', 'rules', 'test.yml'], dir);
  });
}

/**
 * Checks that PromQL expressions parse. promtool has no parse-only query command, so they are
 * written as recording rules `chartkit:check:<index>` into one rule file and checked with
 * `promtool check rules`; each error is mapped back to the expression's index.
 */
export function checkExpressions(exprs: string[]): Promise<ExpressionCheckResult> {
  const ruleFile = yaml.dump({
    groups: [{ name: 'chartkit-check', rules: exprs.map((expr, index) => ({ record: `chartkit:check:${index}`, expr })) }],
  });
  return checkRules(ruleFile).then(({ ok, output }) => {
    const errors: ExpressionError[] = [];
    // e.g. `rules.yml: 7:15: group "chartkit-check", rule 2, "chartkit:check:1": could not parse expression: …`
    for (const match of output.matchAll(/"chartkit:check:(\d+)": (.*)$/gm)) {
      const index = Number(match[1]);
      errors.push({ index, expr: exprs[index] ?? '', message: (match[2] ?? '').trim() });
    }
    if (!ok && errors.length === 0) {
      // A failure promtool did not attribute to a rule: report it against every expression rather
      // than pretend all is well.
      errors.push(...exprs.map((expr, index) => ({ index, expr, message: output })));
    }
    return { ok, output, errors };
  });
}
