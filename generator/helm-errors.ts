/** Reading the values paths out of Helm's error messages, the same way for Helm 3 and Helm 4. */

/**
 * The values paths named in a Helm error, normalised to dotted form so one reading fits both
 * versions (schema errors: Helm 3 `- a.b.c: …`, Helm 4 `- at '/a/b/c': …`; a template `fail` of
 * these charts starts its message with the path: `execution error at (…): a.b.c is …`).
 */
export function errorPaths(stderr: string): string[] {
  const paths = new Set<string>();
  for (const match of stderr.matchAll(/^- ([^\s:]+): /gm)) paths.add(match[1]!);
  for (const match of stderr.matchAll(/at '([^']*)'/g)) {
    paths.add(
      match[1]!
        .replace(/^\//, '')
        .split('/')
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
        .join('.') || '(root)',
    );
  }
  return [...paths];
}

/** The values path a template `fail` of these charts starts its message with, if any. */
export function failPath(stderr: string): string | undefined {
  return /execution error at \([^)]*\): ([A-Za-z0-9_.\-/<>]+?)(?=[\s:(]|$)/m.exec(stderr)?.[1];
}

/** Every values path a Helm error names, schema errors and a template `fail` alike, each once. */
export function valuesPathsOf(stderr: string): string[] {
  const fail = failPath(stderr);
  return [...new Set([...errorPaths(stderr), ...(fail ? [fail] : [])])];
}
