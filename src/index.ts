// Public API of cdk8s-node-local: this file only re-exports.
export * from './node-local-daemon-service';
export * from './node-local-port';
export { NodeLocalRollout } from './node-local-rollout';
export { NodeLocalTraffic } from './node-local-traffic';
export * from './client-endpoint';
export type { ConnectOptions } from './connect';
export * from './lint/finding';
export * from './lint/lint-options';
export * from './lint/rule-info';
export { lintManifests, NodeLocalLinter } from './lint/lint';
export * from './plugin/node-local-validation';
export type { RuleAcknowledgement, SynthValidationOptions } from './synth-validation';
export * from './node-local-alerts';
