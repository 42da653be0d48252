// The Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1), as a typed ApiObject of
// our own: only the fields the alerts write, so no CRD import is needed.
import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleGroup } from './rule';

/** The kind's group, version and kind. */
export const PROMETHEUS_RULE = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' } as const;

/** The spec: rule groups, as in a Prometheus rule file. */
export interface PrometheusRuleSpec {
  readonly groups: RuleGroup[];
}

/** A PrometheusRule whose spec is produced at synthesis. */
export class PrometheusRule extends ApiObject {
  /**
   * @param produceSpec called when the object is written, so that it reflects the app as synthesized
   */
  constructor(scope: Construct, id: string, metadata: ApiObjectMetadata | undefined, produceSpec: () => PrometheusRuleSpec) {
    super(scope, id, { ...PROMETHEUS_RULE, metadata, spec: Lazy.any({ produce: produceSpec }) });
  }
}

/** The object as the command writes it. */
export function prometheusRuleManifest(metadata: { [key: string]: unknown }, spec: PrometheusRuleSpec): { [key: string]: unknown } {
  return { ...PROMETHEUS_RULE, metadata, spec };
}
