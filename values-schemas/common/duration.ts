/**
 * Durations, in the two grammars the platform's values use: Istio's (Go's `time.ParseDuration` as
 * Envoy settings take it: `1m30s`, `1.5h`, units in any order) and Prometheus's (Prometheus,
 * Alertmanager and the Prometheus Operator's CRDs: `1h30m`, whole numbers, units from the largest
 * down, each at most once, so `5m1h` is refused). They really differ, so each has its schema
 * pattern and its parser here, side by side, and every schema and check uses these.
 */

/** An Istio (Go/Envoy) duration: `500ms`, `10s`, `1m30s`, `1.5h`. A schema pattern. */
export const ISTIO_DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

/**
 * A Prometheus duration: `30s`, `5m`, `1h30m`; units from the largest down, each at most once, as
 * Prometheus and the Prometheus Operator's CRDs parse them (`5m1h` is refused). Every part is
 * optional, so the empty string matches: a schema adds `minLength`. Each amount has at most six
 * digits (narrower than Prometheus, which takes any that fit its int64 milliseconds).
 */
export const PROMETHEUS_DURATION = '^(([0-9]{1,6})y)?(([0-9]{1,6})w)?(([0-9]{1,6})d)?(([0-9]{1,6})h)?(([0-9]{1,6})m)?(([0-9]{1,6})s)?(([0-9]{1,6})ms)?$';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ISTIO_UNITS: Readonly<Record<string, number>> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR };
/** Prometheus's units, in the order of {@link PROMETHEUS_DURATION}'s amount groups (a year is 365 days there). */
const PROMETHEUS_UNITS = [365 * DAY, 7 * DAY, DAY, HOUR, MINUTE, SECOND, 1];

const ISTIO_REGEX = new RegExp(ISTIO_DURATION);
const ISTIO_PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;
const PROMETHEUS_REGEX = new RegExp(PROMETHEUS_DURATION);

/**
 * Milliseconds of an Istio duration ({@link ISTIO_DURATION}); `undefined` when it is not one.
 * @example parseIstioDuration('1m30s') // 90000
 */
export function parseIstioDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !ISTIO_REGEX.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(ISTIO_PART)) total += Number(amount) * ISTIO_UNITS[unit!]!;
  return total;
}

/**
 * Milliseconds of a Prometheus duration ({@link PROMETHEUS_DURATION}); `undefined` when it is not
 * one. The empty string is 0, as the pattern matches it.
 * @example parsePrometheusDuration('1h30m') // 5400000
 * @example parsePrometheusDuration('5m1h') // undefined
 */
export function parsePrometheusDuration(text: unknown): number | undefined {
  const match = typeof text === 'string' ? PROMETHEUS_REGEX.exec(text) : null;
  if (!match) return undefined;
  // Groups come in pairs, `(amount unit)` then `amount`: the amounts are the even ones.
  return PROMETHEUS_UNITS.reduce((total, unit, index) => total + Number(match[2 * index + 2] ?? 0) * unit, 0);
}
