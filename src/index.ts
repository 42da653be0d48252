// Public API of cdk8s-node-local: this file only re-exports.
export * from './node-local-daemon-service';
export * from './node-local-port';
export * from './node-local-rollout';
