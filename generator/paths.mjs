// The repository root, where the project keeps the binaries its install step extracts, and how a
// user overrides them. Plain JavaScript: scripts/install-tools.mjs imports it under bare node
// (npm's postinstall), without the TypeScript loader the rest of the generator runs with.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (this file lives in generator/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The git-ignored folder that holds every extracted tool. */
export const toolsDir = path.join(repoRoot, '.tools');

/**
 * Every tool the project needs: where the install step puts it and which environment variable
 * points at a binary the user provides instead.
 */
export const tools = {
  helm3: { bin: path.join(toolsDir, 'helm3', 'helm'), env: 'HELM3_BIN' },
  helm4: { bin: path.join(toolsDir, 'helm4', 'helm'), env: 'HELM4_BIN' },
  promtool: { bin: path.join(toolsDir, 'promtool', 'promtool'), env: 'PROMTOOL_BIN' },
  registry: { bin: path.join(toolsDir, 'registry', 'docker-registry'), env: 'REGISTRY_BIN' },
  amtool: { bin: path.join(toolsDir, 'amtool', 'amtool'), env: 'AMTOOL_BIN' },
};
