/**
 * Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1e3`): the narrower forms the charts'
 * schemas accept for CPU and memory, and the parser of the API server's own grammar that the checks
 * use to compare them (requests ≤ limits, the mesh's proxy memory floor).
 */

/** CPU quantity as the schemas accept it: `250m`, `0.5`, `2`. A schema pattern. */
export const CPU_QUANTITY = '^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$';

/** Memory quantity in binary or decimal units as the schemas accept it: `128Mi`, `1Gi`, `500M` (not `500mb`). A schema pattern. */
export const MEMORY_QUANTITY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$';

const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:([KMGTPE]i)|[eE]([+-]?[0-9]+)|([numkMGTPE]))?$/;

/**
 * A Kubernetes `resource.Quantity` as a number in base units (cores, bytes), or `undefined` when
 * the API server would refuse it (or it is neither a string nor a number). Accepts the grammar of
 * `k8s.io/apimachinery/pkg/api/resource`: an optional sign, digits with an optional fraction, then
 * a decimal SI suffix (`n u m k M G T P E`), a binary suffix (`Ki Mi Gi Ti Pi Ei`), a decimal
 * exponent (`1e3`, `1E-2`) or nothing. A JSON number is a quantity too (`cpu: 2`).
 * @example parseQuantity('100m') // 0.1
 * @example parseQuantity('1Gi') // 1073741824
 * @example parseQuantity('500mb') // undefined
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = text === '' ? null : QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', binary, exponent, decimal] = match;
  const mantissa = `${sign}${whole || '0'}.${fraction || '0'}`;
  if (binary !== undefined) return Number(mantissa) * 2 ** BINARY_SUFFIXES[binary]!;
  const power = exponent !== undefined ? Number(exponent) : DECIMAL_SUFFIXES[decimal ?? '']!;
  // Number('100.0e-3') rounds once, so 100m is exactly the double nearest 0.1.
  return Number(`${mantissa}e${power}`);
}
