// Runs the real amtool on Alertmanager configurations: each call writes the configuration (and
// any files beside it) into a fresh temp folder, runs amtool there and removes the folder.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTool } from './tools.js';

/** The outcome of one amtool run: `ok` is its exit status 0. */
export interface AmtoolResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function amtool(args: string[], cwd: string): Promise<AmtoolResult> {
  const bin = resolveTool('amtool');
  return new Promise((resolve, reject) => {
    // HOME points into the temp folder so a user's ~/.config/amtool/config.yml cannot add flags.
    execFile(bin, args, { cwd, env: { ...process.env, HOME: cwd }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        // Not an exit status: the binary could not be run at all.
        reject(new Error(`amtool: could not run ${bin}: ${error.message}`));
        return;
      }
      resolve({ ok: !error, stdout, stderr });
    });
  });
}

async function withConfig<T>(configYaml: string, extraFiles: Record<string, string>, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chartkit-amtool-'));
  try {
    for (const [name, content] of Object.entries(extraFiles)) {
      const file = path.resolve(dir, name);
      if (!file.startsWith(`${dir}${path.sep}`)) throw new Error(`amtool helper: file name ${name} leaves the temp folder`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    writeFileSync(path.join(dir, 'alertmanager.yml'), configYaml);
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `amtool check-config` on an Alertmanager configuration (YAML). `extraFiles` maps names
 * relative to the configuration (templates, for instance) to their content; they are written
 * beside it. amtool 0.25 checks syntax and schema; it does not open `*_file` credential paths.
 */
export function checkConfig(configYaml: string, extraFiles: Record<string, string> = {}): Promise<AmtoolResult> {
  return withConfig(configYaml, extraFiles, (dir) => amtool(['check-config', 'alertmanager.yml'], dir));
}

/**
 * Runs `amtool config routes test` for an alert with the given labels and returns the receivers it
 * is routed to, in order (amtool prints them comma-separated on one line). An alert without
 * labels goes through the root route only.
 * @throws when amtool fails, e.g. because the configuration does not load.
 */
export async function routeTest(configYaml: string, labels: Record<string, string>): Promise<string[]> {
  const args = ['config', 'routes', 'test', '--config.file=alertmanager.yml', ...Object.entries(labels).map(([name, value]) => `${name}=${value}`)];
  const result = await withConfig(configYaml, {}, (dir) => amtool(args, dir));
  if (!result.ok) throw new Error(`amtool config routes test failed:\n${`${result.stdout}${result.stderr}`.trim()}`);
  return result.stdout
    .trim()
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
