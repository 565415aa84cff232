/**
 * The ways `chartkit report` prints: Markdown tables for people and READMEs, JSON for scripts, CSV
 * (one row per workload) for spreadsheets, and a self-contained SVG bar chart of each workload's
 * requests at minimum and at maximum scale.
 */
import type { PlatformReport, Resources, Totals } from './resources.js';

/** The output formats. */
export const REPORT_FORMATS = ['markdown', 'json', 'csv', 'svg'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const GIB = 2 ** 30;
const cores = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));
const gib = (bytes: number) => (bytes / GIB).toFixed(2).replace(/\.00$/, '');
const money = (report: PlatformReport, amount: number) => `${amount.toFixed(2)} ${report.prices.currency}`;

/** `requests / limits` of CPU (cores) and memory (GiB). */
const cells = (resources: Resources) => [
  `${cores(resources.cpuRequest)} / ${cores(resources.cpuLimit)}`,
  `${gib(resources.memoryRequest)} / ${gib(resources.memoryLimit)}`,
];

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

const totalsRow = (name: string, totals: Totals) => [
  name,
  `${totals.podsMin}–${totals.podsMax}`,
  ...cells(totals.min),
  ...cells(totals.max),
  `${gib(totals.storageMin)}–${gib(totals.storageMax)}`,
];
const TOTALS_HEADER = ['', 'pods (min–max)', 'CPU at min (req / lim)', 'memory GiB at min (req / lim)', 'CPU at max', 'memory GiB at max', 'storage GiB'];

/** The report as Markdown: workloads, namespaces, the groups with the cost, the mesh inventory. */
export function formatMarkdown(report: PlatformReport): string {
  const lines = [
    `# Platform report: ${report.environment}`,
    '',
    `${report.nodes} nodes (DaemonSets run one pod each); Istio ${report.istioVersion}'s defaults for what Istio runs beside the charts; requests and limits per pod include the injected proxy.`,
    '',
    '## Workloads',
    '',
    ...table(
      [
        'namespace',
        'workload',
        'kind',
        'pods (min–max)',
        'CPU per pod (req / lim)',
        'memory GiB per pod (req / lim)',
        'of which proxy (CPU, GiB req)',
        'storage GiB per pod',
      ],
      report.workloads.map((row) => [
        row.namespace,
        row.name,
        row.kind,
        `${row.podsMin}–${row.podsMax}`,
        ...cells(row.perPod),
        row.proxy ? `${cores(row.proxy.cpuRequest)}, ${gib(row.proxy.memoryRequest)}` : '',
        row.storagePerPod ? gib(row.storagePerPod) : '',
      ]),
    ),
    '',
    '## Per namespace',
    '',
    ...table(
      TOTALS_HEADER.map((cell, index) => (index === 0 ? 'namespace' : cell)),
      report.namespaces.map((namespace) => totalsRow(namespace.namespace, namespace)),
    ),
    '',
    '## Totals and monthly cost',
    '',
    ...table(
      TOTALS_HEADER.map((cell, index) => (index === 0 ? 'part' : cell)),
      [...report.groups.map((group) => totalsRow(group.group, group)), totalsRow('**total**', report.totals)],
    ),
    '',
    `Monthly estimate from the requests (${report.prices.cpuCoreHour} ${report.prices.currency} per core-hour, ${report.prices.memoryGibHour} per GiB-hour, ${report.prices.storageGibMonth} per GiB-month of storage at maximum): **${money(report, report.monthlyCost.min)}** at minimum scale, **${money(report, report.monthlyCost.max)}** at maximum.`,
    '',
    '## Mesh inventory',
    '',
    ...table(
      ['namespace', 'VirtualServices', 'DestinationRules', 'PeerAuthentications', 'AuthorizationPolicies', 'STRICT'],
      report.mesh.namespaces.map((namespace) => [
        namespace.namespace,
        String(namespace.VirtualService),
        String(namespace.DestinationRule),
        String(namespace.PeerAuthentication),
        String(namespace.AuthorizationPolicy),
        namespace.strict ? 'yes' : 'no',
      ]),
    ),
    '',
    report.mesh.servicesWithoutPolicy.length === 0
      ? 'Every Service in the mesh is governed by an ALLOW AuthorizationPolicy.'
      : `Services in the mesh without an ALLOW AuthorizationPolicy: ${report.mesh.servicesWithoutPolicy.join(', ')}.`,
  ];
  return lines.join('\n');
}

/** The report as JSON (the {@link PlatformReport} itself: cores, bytes, prices). */
export function formatJson(report: PlatformReport): string {
  return JSON.stringify(report, null, 2);
}

/** One CSV row per workload; numbers in cores and bytes. */
export function formatCsv(report: PlatformReport): string {
  const header = [
    'namespace',
    'workload',
    'kind',
    'group',
    'pods_min',
    'pods_max',
    'cpu_request_cores',
    'cpu_limit_cores',
    'memory_request_bytes',
    'memory_limit_bytes',
    'proxy_cpu_request_cores',
    'proxy_memory_request_bytes',
    'storage_per_pod_bytes',
  ];
  const quote = (value: string | number) => (typeof value === 'number' ? String(value) : /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const rows = report.workloads.map((row) =>
    [
      row.namespace,
      row.name,
      row.kind,
      row.group,
      row.podsMin,
      row.podsMax,
      row.perPod.cpuRequest,
      row.perPod.cpuLimit,
      row.perPod.memoryRequest,
      row.perPod.memoryLimit,
      row.proxy?.cpuRequest ?? 0,
      row.proxy?.memoryRequest ?? 0,
      row.storagePerPod,
    ]
      .map(quote)
      .join(','),
  );
  return [header.join(','), ...rows].join('\n');
}

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * Two horizontal bar charts side by side, CPU cores and memory GiB requested, one row per workload
 * with its minimum-scale bar over its maximum-scale bar. No scripts, fonts or external references.
 */
export function formatSvg(report: PlatformReport): string {
  const rows = report.workloads;
  const label = 260;
  const panel = 320;
  const row = 22;
  const top = 48;
  const height = top + rows.length * row + 40;
  const width = label + 2 * panel + 60;
  const panels = [
    { title: 'CPU requested (cores)', value: (r: (typeof rows)[number], pods: number) => r.perPod.cpuRequest * pods, show: cores },
    {
      title: 'memory requested (GiB)',
      value: (r: (typeof rows)[number], pods: number) => (r.perPod.memoryRequest * pods) / GIB,
      show: (v: number) => v.toFixed(2),
    },
  ];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(`Requests per workload at minimum and maximum scale: ${report.environment}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escapeXml(`Requests per workload, ${report.environment}: minimum scale (dark) and maximum scale (light)`)}</text>`,
  ];
  panels.forEach((chart, index) => {
    const x0 = label + index * (panel + 30);
    const largest = Math.max(...rows.map((r) => chart.value(r, r.podsMax)), 1e-9);
    out.push(`<text x="${x0}" y="${top - 10}" font-weight="bold">${escapeXml(chart.title)}</text>`);
    rows.forEach((r, i) => {
      const y = top + i * row;
      const min = chart.value(r, r.podsMin);
      const maxValue = chart.value(r, r.podsMax);
      const scale = (v: number) => ((v / largest) * (panel - 50)).toFixed(1);
      out.push(
        `<rect x="${x0}" y="${y + 10}" width="${scale(maxValue)}" height="8" fill="#9ecae1"><title>${escapeXml(`${r.namespace}/${r.name}: ${chart.show(maxValue)} at ${r.podsMax} pods`)}</title></rect>`,
        `<rect x="${x0}" y="${y + 2}" width="${scale(min)}" height="8" fill="#3182bd"><title>${escapeXml(`${r.namespace}/${r.name}: ${chart.show(min)} at ${r.podsMin} pods`)}</title></rect>`,
        `<text x="${x0 + Number(scale(maxValue)) + 4}" y="${y + 14}">${escapeXml(`${chart.show(min)}–${chart.show(maxValue)}`)}</text>`,
      );
    });
  });
  for (const [i, r] of rows.entries()) out.push(`<text x="8" y="${top + i * row + 14}">${escapeXml(`${r.namespace}/${r.name}`)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** The report in `format`. */
export function formatReport(report: PlatformReport, format: ReportFormat): string {
  if (format === 'json') return formatJson(report);
  if (format === 'csv') return formatCsv(report);
  if (format === 'svg') return formatSvg(report);
  return formatMarkdown(report);
}
