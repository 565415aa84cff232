// Across charts: the OTLP endpoint the istio-mesh chart gives Istio is a Service, and a port of it,
// that the observability umbrella's real jaeger chart (the pinned package) creates, and Jaeger's
// own configuration receives OTLP gRPC on the port that Service forwards to.
import { describe, it, expect } from 'vitest';
import yaml from 'js-yaml';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import '../helpers/sail.js';
import { render } from '../helpers/helm.js';
import { mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { meshRender } from './fixtures.js';
import { resolveInRender, umbrellaRender } from '../observability/fixtures.js';

describe.each(HELM_MAJORS)('tracing across istio-mesh and the observability umbrella on Helm %i', (helm) => {
  it.each(ENVIRONMENTS)("should send Istio's spans to the jaeger Service the umbrella creates in %s", async (environment) => {
    // WHEN both charts are rendered with the environment's overlay, the umbrella as release `observability` with the real charts
    const [observability, mesh] = await Promise.all([render(umbrellaRender(helm, environment)), render(meshRender(helm, environment))]);
    const istio = mesh.find((object) => object.kind === 'Istio') as KubeObject & {
      spec: { values: { meshConfig: { extensionProviders: Array<{ opentelemetry: { service: string; port: number } }> } } };
    };
    const [provider] = istio.spec.values.meshConfig.extensionProviders;
    // THEN the provider's host and port are a Service and port of the umbrella's render
    expect(resolveInRender(`grpc://${provider!.opentelemetry.service}:${provider!.opentelemetry.port}`, observability)).toBeUndefined();
    // AND Jaeger's OTLP gRPC receiver listens on the port that Service port forwards to
    const jaeger = mustGet(observability, Service, provider!.opentelemetry.service.split('.')[0]!);
    const servicePort = jaeger.spec!.ports!.find((port) => port.port === provider!.opentelemetry.port)!;
    const config = yaml.load(mustGet(observability, ConfigMap, 'user-config').data!['user-config.yaml']!) as {
      receivers: { otlp: { protocols: { grpc: { endpoint: string } } } };
    };
    const listening = Number(config.receivers.otlp.protocols.grpc.endpoint.split(':').pop());
    expect(servicePort.targetPort === undefined ? servicePort.port : servicePort.targetPort).toBe(listening);
  });
});
