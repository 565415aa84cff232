// Across charts: the OTLP endpoint the istio-mesh chart gives Istio is the Service the observability
// umbrella's jaeger dependency creates, on the port Jaeger is configured to receive OTLP gRPC on.
// The upstream jaeger chart cannot be downloaded here, so the umbrella is rendered (Helm 3 and 4)
// with a stand-in jaeger chart of the pinned name and version whose only object is a Service named
// the way Helm's scaffolded `fullname` helper names it (which the jaeger chart keeps), with the
// port taken from the OTLP gRPC endpoint in the umbrella's jaeger `userconfig`. Neither side reads
// generator/observability/topology.ts, so a wrong topology would fail here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, cpSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Service } from 'kubernetes-models/v1/Service';
import '../helpers/sail.js';
import { repoRoot } from '../../scripts/tools/paths.mjs';
import { render } from '../helpers/helm.js';
import { mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { UPSTREAM_CHARTS, UPSTREAM_NAMES } from '../../generator/observability/upstream.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { meshRender } from './fixtures.js';

/** The stand-in jaeger chart's Service: named like Helm's scaffolded fullname, listening where userconfig says. */
const JAEGER_STAND_IN_SERVICE = `{{- $fullname := ternary .Release.Name (printf "%s-%s" .Release.Name .Chart.Name) (contains .Chart.Name .Release.Name) | trunc 63 | trimSuffix "-" }}
{{- $endpoint := .Values.userconfig.receivers.otlp.protocols.grpc.endpoint }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullname }}
  namespace: {{ .Release.Namespace }}
spec:
  selector:
    app.kubernetes.io/name: jaeger
  ports:
    - name: otlp-grpc
      port: {{ last (splitList ":" $endpoint) | int }}
`;

describe.each(HELM_MAJORS)('tracing across istio-mesh and the observability umbrella on Helm %i', (helm) => {
  let workDir: string;
  let umbrella: string;
  beforeAll(() => {
    // GIVEN the umbrella with its platform chart, empty stand-ins for the upstream charts, and a jaeger stand-in with its Service
    workDir = mkdtempSync(path.join(os.tmpdir(), `chartkit-tracing-${helm}-`));
    umbrella = path.join(workDir, 'observability');
    cpSync(path.join(repoRoot, 'charts', 'observability'), umbrella, { recursive: true });
    cpSync(path.join(repoRoot, 'charts', 'observability-platform'), path.join(umbrella, 'charts', 'observability-platform'), { recursive: true });
    for (const name of UPSTREAM_NAMES) {
      const stub = path.join(umbrella, 'charts', UPSTREAM_CHARTS[name].chart);
      mkdirSync(path.join(stub, 'templates'), { recursive: true });
      writeFileSync(path.join(stub, 'Chart.yaml'), `apiVersion: v2\nname: ${UPSTREAM_CHARTS[name].chart}\nversion: ${UPSTREAM_CHARTS[name].version}\n`);
      if (name === 'jaeger') writeFileSync(path.join(stub, 'templates', 'service.yaml'), JAEGER_STAND_IN_SERVICE);
    }
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it.each(ENVIRONMENTS)('should send Istio\'s spans to the jaeger Service the umbrella creates in %s', async (environment) => {
    // WHEN both charts are rendered with the environment's overlay, the umbrella as release `observability` in its namespace
    const [observability, mesh] = await Promise.all([
      render({ chart: umbrella, helm, values: [`values-${environment}.yaml`], namespace: 'observability', release: 'observability' }),
      render(meshRender(helm, environment)),
    ]);
    const jaeger = mustGet(observability, Service, 'observability-jaeger');
    const istio = mesh.find((object) => object.kind === 'Istio') as KubeObject & { spec: { values: { meshConfig: { extensionProviders: Array<{ opentelemetry: { service: string; port: number } }> } } } };
    const [provider] = istio.spec.values.meshConfig.extensionProviders;
    // THEN the provider's host is that Service's cluster DNS name, and its port the Service's OTLP gRPC port
    expect(provider!.opentelemetry.service).toBe(`${jaeger.metadata!.name}.${jaeger.metadata!.namespace}.svc.cluster.local`);
    expect(provider!.opentelemetry.port).toBe(jaeger.spec!.ports!.find((port) => port.name === 'otlp-grpc')!.port);
  });
});
