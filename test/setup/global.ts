// Runs once before the whole test run: checks the toolchain (failing with how to get a missing
// tool) and gives the run a fresh memo folder, handed to the workers through the environment, so
// every distinct render runs exactly once per run and concurrent runs cannot disturb each other.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runsDir, RUN_DIR_VARIABLE } from '../helpers/cache.js';
import { resolveHelm } from '../helpers/tools.js';

const STALE_MS = 6 * 60 * 60 * 1000;

export default function setup(): void {
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
}
