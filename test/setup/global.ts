// Runs once before the whole test run: checks the toolchain (failing with how to get a missing
// tool) and empties the per-run render memo so every distinct render runs exactly once per run.
import { rmSync } from 'node:fs';
import { runCacheDir } from '../helpers/cache.js';
import { resolveHelm } from '../helpers/tools.js';

export default function setup(): void {
  rmSync(runCacheDir, { recursive: true, force: true });
  resolveHelm(3);
  resolveHelm(4);
}
