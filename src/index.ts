// Public API of cdk8s-node-local: this file only re-exports.
