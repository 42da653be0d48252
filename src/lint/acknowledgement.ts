// An acknowledgement travels with the manifest as an annotation, so the construct, the command
// and the cdk8s plugin all honour it, and its reason stays where the object is reviewed.

const PREFIX = 'cdk8s-node-local/acknowledge-';

/** The annotation that acknowledges a rule on an object, e.g. `cdk8s-node-local/acknowledge-NL102`. */
export function acknowledgementAnnotation(ruleId: string): string {
  return `${PREFIX}${ruleId}`;
}

/** Whether the manifest acknowledges the rule with a non-empty reason. */
export function isAcknowledged(manifest: unknown, ruleId: string): boolean {
  return acknowledgementReason(manifest, ruleId) !== undefined;
}

/** The reason the manifest gives for acknowledging the rule, or undefined when it does not (or gives no reason). */
export function acknowledgementReason(manifest: unknown, ruleId: string): string | undefined {
  const annotations = (manifest as any)?.metadata?.annotations;
  if (annotations === null || typeof annotations !== 'object') {
    return undefined;
  }
  const reason = annotations[acknowledgementAnnotation(ruleId)];
  return typeof reason === 'string' && reason.trim() !== '' ? reason : undefined;
}
