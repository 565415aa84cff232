// Gets single files out of a Debian package without installing it: `apt-get download` into a temp
// folder, stream only the wanted paths out of the package's data archive, copy them into .tools/.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tools } from '../../generator/paths.mjs';

/** Finds an executable on PATH; returns its path or undefined. */
export function findOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs a command without a shell. Resolves with {code, stdout, stderr}; never rejects on a non-zero
 * exit (the caller decides), only when the command cannot be started.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `dpkg-deb --fsys-tarfile <deb> | tar -x -C <dir> <members>`, without a shell. */
function extractMembers(debFile, members, dir) {
  return new Promise((resolve, reject) => {
    const dpkg = spawn('dpkg-deb', ['--fsys-tarfile', debFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', dir, ...members], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    dpkg.stderr.on('data', (chunk) => (stderr += chunk));
    tar.stderr.on('data', (chunk) => (stderr += chunk));
    // Should tar ever close its stdin early, the write error (EPIPE) must not crash the process.
    tar.stdin.on('error', () => {});
    dpkg.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (name) => (code, signal) => {
      if (code !== 0 && !(name === 'dpkg-deb' && signal === 'SIGPIPE')) failed = true;
      if (--pending === 0) {
        if (failed) reject(new Error(`dpkg-deb | tar failed on ${path.basename(debFile)}: ${stderr.trim()}`));
        else resolve();
      }
    };
    dpkg.on('error', reject);
    tar.on('error', reject);
    dpkg.on('close', done('dpkg-deb'));
    tar.on('close', done('tar'));
  });
}

/**
 * Extracts files from a Debian package into the project, without a system install.
 *
 * @param {object} spec
 * @param {string} spec.tool    the tool's name, for messages (e.g. `promtool`)
 * @param {string} spec.envVar  the environment variable a user can set instead (e.g. `PROMTOOL_BIN`)
 * @param {string} spec.pkg     the Debian package (e.g. `prometheus`)
 * @param {Record<string, string>} spec.files  path inside the package (`usr/bin/promtool`) → absolute
 *   target path; each target is written beside itself and renamed, so readers never see half a file
 * @returns {Promise<{pkg: string, pkgVersion: string, files: string[]}>}
 */
export async function extractFromDebian({ tool, envVar, pkg, files }) {
  const binary = path.basename(Object.values(files)[0]);
  const howTo = `install Debian's ${pkg} package or set ${envVar} to a ${binary} binary`;
  for (const command of ['apt-get', 'dpkg-deb', 'tar']) {
    if (!findOnPath(command)) throw new Error(`${tool}: ${command} is not available; ${howTo}`);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), `chartkit-deb-${pkg}-`));
  try {
    // As root apt drops to the _apt user for downloads, which cannot write into our private temp
    // folder: it still works but warns. Download as root directly.
    const sandbox = process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
    const download = () => run('apt-get', [...sandbox, 'download', pkg], { cwd: tmp });
    let result = await download();
    if (result.code !== 0) {
      // Empty package lists on a fresh machine ("Unable to locate package") or stale ones (404):
      // refresh them once and try again.
      const update = await run('apt-get', ['update']);
      if (update.code !== 0) {
        throw new Error(`${tool}: apt-get update failed (${update.stderr.trim()}); ${howTo}`);
      }
      result = await download();
    }
    if (result.code !== 0) {
      throw new Error(`${tool}: apt-get download ${pkg} failed: ${result.stderr.trim()}; ${howTo}`);
    }
    const deb = readdirSync(tmp).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error(`${tool}: apt-get download ${pkg} produced no .deb file`);
    const debFile = path.join(tmp, deb);
    const version = await run('dpkg-deb', ['-f', debFile, 'Version']);

    const root = path.join(tmp, 'root');
    mkdirSync(root);
    const members = Object.keys(files).map((member) => `./${member.replace(/^\.?\//, '')}`);
    await extractMembers(debFile, members, root);

    const written = [];
    for (const [member, target] of Object.entries(files)) {
      const source = path.join(root, member.replace(/^\.?\//, ''));
      mkdirSync(path.dirname(target), { recursive: true });
      const partial = `${target}.partial-${process.pid}`;
      try {
        copyFileSync(source, partial);
      } catch {
        throw new Error(`${tool}: ${pkg} ${version.stdout.trim()} holds no ${member}`);
      }
      chmodSync(partial, 0o755);
      renameSync(partial, target);
      written.push(target);
    }
    return { pkg, pkgVersion: version.stdout.trim(), files: written };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A `versionOf` for tools that print `<name>, version X.Y.Z …` for `--version` (promtool, amtool):
 * returns the version; throws if the binary does not run or prints something else.
 * @param {string} tool
 * @returns {(bin: string) => string}
 */
export function versionFlagOf(tool) {
  return (bin) => {
    const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const match = /version (\S+)/.exec(out);
    if (!match) throw new Error(`${tool}: unexpected \`${bin} --version\` output: ${out.trim()}`);
    return match[1];
  };
}

/**
 * Makes one binary from a Debian package available as a project tool. Idempotent: a binary named
 * by the tool's environment variable, or one already in .tools/ that runs, is kept
 * (`action: 'present'`); otherwise it is extracted from the package.
 *
 * @param {object} spec
 * @param {'promtool'|'registry'} spec.tool  the tool, as named in generator/paths.mjs
 * @param {string} spec.pkg      the Debian package
 * @param {string} spec.member   the binary's path inside the package (`usr/bin/promtool`)
 * @param {(bin: string) => string} spec.versionOf  runs the binary and returns its version; throws if it does not run
 * @returns {Promise<{tool: string, path: string, version: string, action: 'present'|'extracted'}>}
 */
export async function installDebianTool({ tool, pkg, member, versionOf }) {
  const { bin, env } = tools[tool];
  for (const candidate of [process.env[env], bin].filter(Boolean)) {
    let version;
    try {
      version = existsSync(candidate) ? versionOf(candidate) : undefined;
    } catch {
      version = undefined;
    }
    if (version) return { tool, path: candidate, version, action: 'present' };
  }
  await extractFromDebian({ tool, envVar: env, pkg, files: { [member]: bin } });
  return { tool, path: bin, version: versionOf(bin), action: 'extracted' };
}
