// The strict unknown-field check. kubernetes-models' validators accept unknown fields, so a
// misspelt key in a template would pass them; the models' .d.ts interfaces are exact, though.
// Every object becomes an object literal typed by its model interface in one in-memory TypeScript
// program; excess-property errors name the unknown field, nested objects included.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../generator/paths.mjs';
import { checkApiRules } from '../../generator/checks/api-rules.js';
import { describeObject, type KubeObject as ApiObject } from '../../generator/checks/object.js';
import { hashKey, runCacheDir } from './cache.js';
import { isCustomKind, modelModule, type KubeObject } from './models.js';

/** One field the model does not know, or another type error, of one object. */
export interface StrictFinding {
  readonly object: string;
  readonly message: string;
}

const okDir = path.join(runCacheDir, 'strict-ok');

/**
 * Type-checks the objects against their models' interfaces in one program and returns the
 * findings (empty when every field is known and well-typed). Objects already found clean in this
 * test run, by any process, are not checked again. Custom kinds are left to their validators.
 */
export function strictFindings(objects: readonly KubeObject[]): StrictFinding[] {
  const unique = new Map<string, KubeObject>();
  for (const object of objects) {
    if (isCustomKind(object.apiVersion, object.kind)) continue;
    // The API server decodes an explicit null as an unset field (upstream charts emit many, e.g.
    // `annotations: null`), so nulls are dropped; a wrong type or an unknown field still fails.
    const plain = JSON.parse(JSON.stringify(object), (_key, value: unknown) => (value === null ? undefined : value)) as KubeObject;
    const hash = hashKey(plain);
    if (!existsSync(path.join(okDir, hash))) unique.set(hash, plain);
  }
  if (unique.size === 0) return [];

  const imports = new Map<string, string>();
  const ranges: Array<{ start: number; end: number; hash: string; object: KubeObject }> = [];
  let body = '';
  for (const [hash, object] of unique) {
    const specifier = modelModule(object.apiVersion, object.kind);
    let alias = imports.get(specifier);
    if (!alias) {
      alias = `T${imports.size}`;
      imports.set(specifier, alias);
    }
    const declaration = `export const o${ranges.length}: ${alias} = `;
    const literal = JSON.stringify(object, null, 1);
    const start = body.length;
    body += `${declaration}${literal};\n`;
    ranges.push({ start, end: body.length, hash, object });
  }
  const header = [...imports].map(([specifier, alias]) => `import type { I${specifier.split('/').pop()} as ${alias} } from '${specifier}';\n`).join('');
  const source = header + body;
  const offset = header.length;

  mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  const fileName = path.join(repoRoot, '.cache', `strict-check-${process.pid}.ts`);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError) =>
    path.resolve(name) === fileName ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].filter(
    (diagnostic) => diagnostic.file === undefined || path.resolve(diagnostic.file.fileName) === fileName,
  );

  const findings: StrictFinding[] = [];
  const failed = new Set<string>();
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const position = (diagnostic.start ?? 0) - offset;
    const range = ranges.find((candidate) => position >= candidate.start && position < candidate.end);
    if (!range) {
      findings.push({ object: '<check program>', message });
      continue;
    }
    failed.add(range.hash);
    const line = source.slice(0, diagnostic.start ?? 0).split('\n').length;
    const context = source.split('\n')[line - 1]?.trim() ?? '';
    findings.push({ object: describeObject(range.object), message: `${message.split('\n')[0]} (at ${context})` });
  }
  mkdirSync(okDir, { recursive: true });
  for (const range of ranges) if (!failed.has(range.hash)) writeFileSync(path.join(okDir, range.hash), '');
  return findings;
}

/**
 * The Kubernetes API server's own rules (`generator/checks/api-rules.ts`) over the objects, as
 * findings. Nulls are dropped first, as the API server decodes them as unset fields.
 */
export function apiRuleFindings(objects: readonly KubeObject[]): StrictFinding[] {
  const plain = JSON.parse(JSON.stringify(objects), (_key, value: unknown) => (value === null ? undefined : value)) as ApiObject[];
  return checkApiRules(plain).map((violation) => ({ object: violation.object, message: `${violation.field}: ${violation.message} [${violation.rule}]` }));
}

/**
 * Throws, listing every finding, unless all objects pass the strict check and the API server's
 * own rules ({@link apiRuleFindings}).
 */
export function assertStrict(objects: readonly KubeObject[]): void {
  const list = (findings: readonly StrictFinding[]) => findings.map((finding) => `  ${finding.object}: ${finding.message}`).join('\n');
  const strict = strictFindings(objects);
  const rules = apiRuleFindings(objects);
  const sections = [
    ...(strict.length > 0 ? [`strict model check failed:\n${list(strict)}`] : []),
    ...(rules.length > 0 ? [`Kubernetes API rules failed:\n${list(rules)}`] : []),
  ];
  if (sections.length > 0) throw new Error(sections.join('\n'));
}
