// Reading rendered YAML the way the Kubernetes API machinery does (sigs.k8s.io/yaml over go-yaml
// v2, YAML 1.1 plain-scalar resolution): `yes`/`on`/`y` are booleans, `0777` is octal, `1e+06` a
// float. js-yaml's default YAML 1.2 reading takes most of these for strings, which would hide an
// unquoted value in a template.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';

/** An integer printed in float notation (`1e+06`): kept apart, so it equals no number and no string. */
export class FloatNotation {
  constructor(readonly text: string) {}
}

const plain = (data: string) => data.replace(/_/g, '');
/**
 * go-yaml v2's resolution of plain scalars, which Kubernetes (sigs.k8s.io/yaml) applies: these
 * replace the YAML 1.2 null, bool, int and float types of the default schema (timestamps stay).
 */
export const KUBERNETES_YAML = yaml.DEFAULT_SCHEMA.extend({
  implicit: [
    new yaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (data: string) => ['', '~', 'null', 'Null', 'NULL'].includes(data),
      construct: () => null,
    }),
    new yaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (data: string) => /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(data),
      construct: (data: string) => /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(data),
    }),
    new yaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (data: string) => /^[-+]?(0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(plain(data)),
      construct: (data: string) => {
        const [, sign, digits] = /^([-+]?)(.*)$/.exec(plain(data))!;
        const value = /^0[0-7]+$/.test(digits!) ? Number.parseInt(digits!, 8) : Number(digits);
        return sign === '-' ? -value : value;
      },
    }),
    new yaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (data: string) => /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(plain(data)),
      construct: (data: string) => {
        const value = Number(
          plain(data)
            .replace(/\.(inf|Inf|INF)$/, 'Infinity')
            .replace(/^\.(nan|NaN|NAN)$/, 'NaN'),
        );
        return Number.isInteger(value) ? new FloatNotation(data) : value;
      },
    }),
  ],
});

/** Every scalar of an object tree with its dotted path. */
export function leaves(value: unknown, at = ''): Array<[string, unknown]> {
  if (value instanceof FloatNotation || value === null || typeof value !== 'object') return [[at, value]];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, at ? `${at}.${key}` : key));
}

/**
 * Writes a values file as JSON (valid YAML in which every string stays a string, whatever it looks
 * like) into a folder of this process, and returns its path.
 */
export function writeValuesFile(name: string, values: object): string {
  valuesDir ??= mkdtempSync(path.join(tmpdir(), 'chartkit-values-'));
  const file = path.join(valuesDir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify(values, null, 2));
  return file;
}
let valuesDir: string | undefined;
