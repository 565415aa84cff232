// Runs once before the whole test run: checks the toolchain (failing with how to get a missing
// tool), gives the run a fresh memo folder, handed to the workers through the environment, so
// every distinct render runs exactly once per run and concurrent runs cannot disturb each other,
// and makes the real pinned upstream charts ready (see test/helpers/upstream.ts).
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runsDir, RUN_DIR_VARIABLE } from '../helpers/cache.js';
import { resolveHelm } from '../helpers/tools.js';
import { umbrellaAssemblyDir, upstreamErrorFile } from '../helpers/upstream.js';
import { repoRoot } from '../../generator/paths.mjs';
import { ensureUpstream, UPSTREAM_DIR_VARIABLE } from '../../generator/upstream/cache.js';
import { assembleUmbrella } from '../../generator/upstream/umbrella.js';

const STALE_MS = 6 * 60 * 60 * 1000;

export default async function setup(): Promise<void> {
  resolveHelm(3);
  resolveHelm(4);
  mkdirSync(runsDir, { recursive: true });
  // Folders of runs long finished are only litter.
  for (const entry of readdirSync(runsDir)) {
    const folder = path.join(runsDir, entry);
    if (Date.now() - statSync(folder).mtimeMs > STALE_MS) rmSync(folder, { recursive: true, force: true });
  }
  const runDir = path.join(runsDir, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  process.env[RUN_DIR_VARIABLE] = runDir;
  // The benchmark reads the newest run's helm invocation log.
  writeFileSync(path.join(runsDir, 'latest'), runDir);
  try {
    await ensureUpstream({ root: repoRoot });
    assembleUmbrella(repoRoot, umbrellaAssemblyDir(runDir));
  } catch (error) {
    const source = process.env[UPSTREAM_DIR_VARIABLE]
      ? `the mirror ${UPSTREAM_DIR_VARIABLE}=${process.env[UPSTREAM_DIR_VARIABLE]}`
      : `the network (${UPSTREAM_DIR_VARIABLE} is not set)`;
    const message = `the pinned upstream charts are not available from ${source}:\n${(error as Error).message}\nSet ${UPSTREAM_DIR_VARIABLE} to a mirror directory (e.g. ../shared/upstream) or run where the chart repositories are reachable.`;
    writeFileSync(upstreamErrorFile(runDir), message);
    console.error(`chartkit tests: ${message}`);
  }
}
