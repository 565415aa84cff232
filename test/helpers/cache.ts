// A cross-process, once-per-test-run memo on disk: vitest runs test files in several worker
// processes, and a render that two files need must still run helm only once. The global setup
// (test/setup/global.ts) gives every run a folder of its own, so concurrent runs never share one.
import { mkdirSync, readFileSync, writeFileSync, openSync, closeSync, existsSync, renameSync, appendFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';

/** Parent of the per-run folders. */
export const runsDir = path.join(repoRoot, '.cache', 'test-runs');

/** The environment variable through which the global setup hands its run folder to the workers. */
export const RUN_DIR_VARIABLE = 'CHARTKIT_TEST_RUN_DIR';

/** Folder of this run's memo (a run without the global setup, e.g. a script, gets its own). */
export const runCacheDir = process.env[RUN_DIR_VARIABLE] ?? path.join(runsDir, `adhoc-${process.pid}`);

/** Stable hash of any JSON-able key. */
export function hashKey(key: unknown): string {
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Returns the memoised result for `key`, computing it with `compute` only if no process of this
 * test run has. Results must be JSON-serialisable.
 */
export function memoOnDisk<T>(namespace: string, key: unknown, compute: () => Promise<T>): Promise<T> {
  const id = `${namespace}-${hashKey(key)}`;
  const pending = inProcess.get(id);
  if (pending) return pending as Promise<T>;
  const promise = (async () => {
    mkdirSync(runCacheDir, { recursive: true });
    const result = path.join(runCacheDir, `${id}.json`);
    const lock = path.join(runCacheDir, `${id}.lock`);
    for (;;) {
      if (existsSync(result)) return JSON.parse(readFileSync(result, 'utf8')) as T;
      let owner = false;
      try {
        closeSync(openSync(lock, 'wx'));
        owner = true;
      } catch {
        // Another process is computing it: wait for its result.
      }
      if (owner) {
        try {
          const value = await compute();
          const partial = `${result}.${process.pid}`;
          writeFileSync(partial, JSON.stringify(value));
          renameSync(partial, result);
          return value;
        } finally {
          rmSync(lock, { force: true });
        }
      }
      await sleep(25);
    }
  })();
  inProcess.set(id, promise);
  return promise;
}

/** Appends one line to a log in the run folder (e.g. every real helm invocation, for the benchmark). */
export function appendRunLog(name: string, line: string): void {
  mkdirSync(runCacheDir, { recursive: true });
  appendFileSync(path.join(runCacheDir, name), `${line}\n`);
}
