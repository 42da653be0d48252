/**
 * The input of the lint benchmark: one multi-document YAML file of many Kubernetes objects, as
 * a platform team's CI would lint. Shapes are real synthesized output (the construct, cdk8s-plus
 * Deployments, Services, a StatefulSet, ConfigMaps): one unit is synthesized once, then cloned
 * with its names and namespace replaced, which keeps generation fast and deterministic.
 */
import * as fs from 'fs';
import { App, Chart, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeLocalDaemonService } from '../src';

/** Stands for the unit's number in every name and label of the template. */
const UNIT = 'uzzzu';
/** Stands for the unit's namespace. */
const NS = 'nzzzn';
const NAMESPACES = 25;
/** Every BAD_EVERY-th unit's agent loses its update strategy and readiness probe, so the report has findings. */
const BAD_EVERY = 25;

/** What `writeCorpus` wrote. */
export interface CorpusInfo {
  readonly objects: number;
  readonly bytes: number;
  readonly units: number;
  readonly objectsPerUnit: number;
  /** How many objects of each kind. */
  readonly kinds: Record<string, number>;
  /** Units whose agent was made unsafe on purpose. */
  readonly badUnits: number;
}

/**
 * The objects of one unit (20 of them): a node-local agent (DaemonSet and Service), six clients
 * connected to it, four unrelated Deployments with a Service each, a StatefulSet with its
 * headless Service, and two ConfigMaps.
 */
function unitTemplate(): unknown[] {
  const app = new App();
  const chart = new Chart(app, 'unit', { namespace: NS });
  const agent = new NodeLocalDaemonService(chart, `agent-${UNIT}`, {
    metadata: { name: `agent-${UNIT}` },
    containers: [{ name: 'collector', image: 'otel/opentelemetry-collector-contrib:0.98.0' }],
    ports: [
      { name: 'otlp-grpc', port: 4317, appProtocol: 'grpc' },
      { name: 'otlp-http', port: 4318, appProtocol: 'http' },
      { name: 'statsd', port: 8125, protocol: kplus.Protocol.UDP },
    ],
  });
  for (let i = 0; i < 6; i++) {
    const client = new kplus.Deployment(chart, `client-${UNIT}-${i}`, {
      metadata: { name: `client-${UNIT}-${i}` },
      replicas: 2,
      containers: [{ name: 'app', image: `ghcr.io/example/client-${i}:1.0.0`, portNumber: 8080 }],
    });
    agent.connect(client, { port: i % 2 === 0 ? 'otlp-grpc' : 'statsd', env: 'AGENT_ENDPOINT', scheme: i % 2 === 0 ? 'http' : undefined });
  }
  for (let i = 0; i < 4; i++) {
    const web = new kplus.Deployment(chart, `web-${UNIT}-${i}`, {
      metadata: { name: `web-${UNIT}-${i}`, labels: { team: `team-${UNIT}` } },
      replicas: 3,
      containers: [{ name: 'web', image: `ghcr.io/example/web-${i}:2.3.4`, portNumber: 8080 }],
    });
    web.exposeViaService({ name: `web-${UNIT}-${i}`, ports: [{ port: 80, targetPort: 8080, name: 'http' }] });
  }
  new kplus.StatefulSet(chart, `db-${UNIT}`, {
    metadata: { name: `db-${UNIT}` },
    containers: [{ name: 'db', image: 'postgres:16', portNumber: 5432 }],
  });
  for (let i = 0; i < 2; i++) {
    new kplus.ConfigMap(chart, `config-${UNIT}-${i}`, {
      metadata: { name: `config-${UNIT}-${i}` },
      data: { 'app.properties': `feature.x=true\nfeature.y=false\nunit=${UNIT}\n` },
    });
  }
  return chart.toJson();
}

/**
 * Writes a multi-document YAML file of about `objects` objects (a whole number of units), as
 * cdk8s writes its manifests, and returns what it holds.
 */
export function writeCorpus(file: string, objects: number): CorpusInfo {
  const template = JSON.stringify(unitTemplate());
  const objectsPerUnit = (JSON.parse(template) as unknown[]).length;
  const units = Math.max(1, Math.round(objects / objectsPerUnit));
  const width = String(units).length;
  const docs: any[] = [];
  let badUnits = 0;
  for (let u = 0; u < units; u++) {
    const text = template.split(UNIT).join(String(u).padStart(width, '0')).split(NS).join(`team-${u % NAMESPACES}`);
    const unit = JSON.parse(text) as any[];
    if (u % BAD_EVERY === BAD_EVERY - 1) {
      badUnits++;
      const daemonSet = unit.find((o) => o.kind === 'DaemonSet');
      delete daemonSet.spec.updateStrategy;
      delete daemonSet.spec.template.spec.containers[0].readinessProbe;
    }
    docs.push(...unit);
  }
  const kinds: Record<string, number> = {};
  for (const doc of docs) {
    kinds[doc.kind] = (kinds[doc.kind] ?? 0) + 1;
  }
  const yaml = Yaml.stringify(...docs);
  fs.writeFileSync(file, yaml);
  return { objects: docs.length, bytes: Buffer.byteLength(yaml), units, objectsPerUnit, kinds, badUnits };
}
