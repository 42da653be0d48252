// An OpenTelemetry Collector agent on every node, an application that sends its traces to the
// agent on its own node, and the Prometheus alerts that watch the agent at run time. In your app,
// import from 'cdk8s-node-local' instead of '../src'.
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { NodeLocalAlerts, NodeLocalDaemonService } from '../src';

/** The collector's configuration: OTLP and Jaeger in, a health check for the readiness probe. */
const COLLECTOR_CONFIG = `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
        endpoint: 0.0.0.0:4318
  jaeger:
    protocols:
      thrift_compact:
        endpoint: 0.0.0.0:6831
processors:
  batch: {}
exporters:
  debug: {}
extensions:
  health_check:
    endpoint: 0.0.0.0:13133
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp, jaeger]
      processors: [batch]
      exporters: [debug]
`;

/** The node agent: a collector DaemonSet and its node-local Service. */
export class ObservabilityChart extends Chart {
  public readonly agent: NodeLocalDaemonService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'observability', ...props });

    const config = new kplus.ConfigMap(this, 'config', { data: { 'collector.yaml': COLLECTOR_CONFIG } });
    const configVolume = kplus.Volume.fromConfigMap(this, 'config-volume', config);

    this.agent = new NodeLocalDaemonService(this, 'otel-agent', {
      metadata: { name: 'otel-agent' },
      containers: [{
        name: 'collector',
        image: 'otel/opentelemetry-collector-contrib:0.98.0',
        args: ['--config=/conf/collector.yaml'],
        volumeMounts: [{ path: '/conf', volume: configVolume }],
        // the health_check extension answers once the pipelines run
        readiness: kplus.Probe.fromHttpGet('/', { port: 13133 }),
      }],
      ports: [
        { name: 'otlp-grpc', port: 4317, appProtocol: 'grpc' },
        { name: 'otlp-http', port: 4318, appProtocol: 'http' },
        { name: 'jaeger-compact', port: 6831, protocol: kplus.Protocol.UDP },
      ],
    });
  }
}

/** An application that sends its traces to the agent on its own node. */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, agent: NodeLocalDaemonService, props: ChartProps = {}) {
    super(scope, id, { namespace: 'shop', ...props });

    const checkout = new kplus.Deployment(this, 'checkout', {
      metadata: { name: 'checkout' },
      replicas: 2,
      containers: [{ name: 'checkout', image: 'ghcr.io/example/checkout:1.0.0', portNumber: 8080 }],
    });
    // OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-agent.observability.svc.cluster.local:4317: the
    // Service routes it to the collector on the pod's own node
    agent.connect(checkout, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
  }
}

/**
 * The alerts, where kube-prometheus-stack's Prometheus finds them: in its namespace, with the
 * `release` label its ruleSelector selects.
 */
export class MonitoringChart extends Chart {
  public readonly alerts: NodeLocalAlerts;

  constructor(scope: Construct, id: string, agent: NodeLocalDaemonService, props: ChartProps = {}) {
    super(scope, id, { namespace: 'monitoring', ...props });

    this.alerts = new NodeLocalAlerts(this, 'node-local-alerts', {
      agents: [agent],
      metadata: { name: 'node-local-alerts', labels: { release: 'kube-prometheus-stack' } },
    });
  }
}

/** The three charts in one app, as `examples/main.ts` synthesizes them. */
export function buildExample(app: App): { observability: ObservabilityChart; shop: ShopChart; monitoring: MonitoringChart } {
  const observability = new ObservabilityChart(app, 'observability');
  const shop = new ShopChart(app, 'shop', observability.agent);
  const monitoring = new MonitoringChart(app, 'monitoring', observability.agent);
  return { observability, shop, monitoring };
}
