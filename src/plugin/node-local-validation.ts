import { promises as fs } from 'fs';
import { InputError, LoadedManifest, fieldLine, parseManifests } from '../cli/manifests';
import { Finding, Severity } from '../lint/finding';
import { lintManifests } from '../lint/lint';

/**
 * Properties of the cdk8s validation plugin, set in the `properties:` of its entry in the
 * `validations:` section of `cdk8s.yaml`.
 */
export interface NodeLocalValidationProps {
  /**
   * Fail the synthesis on warnings too, not only on errors.
   *
   * @default false - warnings are reported, only errors fail the synthesis
   */
  readonly strict?: boolean;
}

/**
 * A cdk8s CLI validation plugin that runs the node-local rule engine over every manifest
 * `cdk8s synth` writes, including objects the app includes from elsewhere (`Include`,
 * Helm charts rendered through cdk8s), and fails the synthesis on errors.
 *
 * Name it in the `validations:` section of `cdk8s.yaml`, by npm package name and an exact
 * version, or by a local path starting with `./`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-node-local
 *     version: 1.2.3
 *     class: NodeLocalValidation
 *     properties:
 *       strict: false
 * ```
 *
 * Each finding is a violation in the report: the rule id, name and severity, the message as
 * the recommendation, the fix, the object's name and manifest file, and the JSON pointer and
 * line of the field at fault. `cdk8s synth --no-validate` skips it.
 */
export class NodeLocalValidation {
  /**
   * Whether warnings fail the synthesis too.
   */
  public readonly strict: boolean;

  /**
   * Called by the cdk8s CLI with the `properties:` of the plugin's entry in `cdk8s.yaml`.
   *
   * @param props the plugin's properties: `strict`
   * @throws when a property is unknown or has the wrong type
   */
  constructor(props: NodeLocalValidationProps = {}) {
    // cdk8s.yaml is hand-written YAML: check what it passes, a typo must not disable a check
    const given = (props ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (key !== 'strict') {
        throw new Error(`unknown property "${key}" of NodeLocalValidation in cdk8s.yaml; allowed: strict`);
      }
    }
    if (given.strict !== undefined && typeof given.strict !== 'boolean') {
      throw new Error(`property strict of NodeLocalValidation must be true or false, got ${JSON.stringify(given.strict)}; `
        + 'write strict: true (no quotes) in cdk8s.yaml');
    }
    this.strict = props?.strict ?? false;
  }

  /**
   * Runs the rule engine once across all synthesized manifests and submits the report.
   * Called by the cdk8s CLI.
   *
   * @param context the `ValidationContext` of the cdk8s CLI (`cdk8s-cli/lib/plugins`); typed
   * `any` so this library does not depend on the CLI: it uses `manifests` (the paths of the
   * synthesized files) and `report` (`addViolation`, `submit`)
   */
  public async validate(context: any): Promise<void> {
    const ctx = context as ValidationContextLike;
    const manifests: LoadedManifest[] = [];
    for (const manifestPath of ctx.manifests) {
      try {
        manifests.push(...parseManifests(manifestPath, await fs.readFile(manifestPath, 'utf-8')));
      } catch (e: any) {
        // cdk8s writes valid YAML, but an app can include anything: report it, do not crash the CLI
        const problem = e instanceof InputError ? e.message : `cannot read ${manifestPath}: ${String(e?.message ?? e).split('\n')[0]}`;
        ctx.report.addViolation({
          ruleName: '[error] unreadable-manifest',
          recommendation: `${problem}: the node-local rules cannot check it`,
          fix: 'Make the app write YAML documents of Kubernetes objects (check the files it includes)',
          violatingResources: [{ resourceName: manifestPath, manifestPath, locations: [] }],
        });
        ctx.report.submit('failure', { strict: String(this.strict) });
        return;
      }
    }

    const findings = lintManifests(manifests.map(m => m.object));
    for (const violation of toViolations(findings, manifests)) {
      ctx.report.addViolation(violation);
    }

    const errors = findings.filter(f => f.severity === Severity.ERROR).length;
    const warnings = findings.length - errors;
    const failed = errors > 0 || (this.strict && warnings > 0);
    ctx.report.submit(failed ? 'failure' : 'success', {
      errors: String(errors),
      warnings: String(warnings),
      resources: String(manifests.length),
      strict: String(this.strict),
    });
  }
}

/** The parts of cdk8s-cli's `ValidationContext` the plugin uses. */
interface ValidationContextLike {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: Violation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/** cdk8s-cli's `ValidationViolation`. */
interface Violation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: Array<{ readonly resourceName: string; readonly locations: string[]; readonly manifestPath: string }>;
}

/** One violation per finding: messages name the object, so no two findings read the same. */
function toViolations(findings: Finding[], manifests: LoadedManifest[]): Violation[] {
  const nameCount = new Map<string, number>();
  for (const m of manifests) {
    const name = m.object?.metadata?.name;
    if (typeof name === 'string') {
      nameCount.set(name, (nameCount.get(name) ?? 0) + 1);
    }
  }
  return findings.map(f => {
    const m = f.manifestIndex === undefined ? undefined : manifests[f.manifestIndex];
    const field = f.path === '' ? '/' : f.path;
    const { kind, name, namespace } = f.resource;
    return {
      ruleName: `[${f.severity}] ${f.ruleId} ${f.ruleName}`,
      recommendation: f.message,
      fix: f.fix,
      violatingResources: [{
        // cdk8s finds the construct path by metadata.name alone: a name several objects share (a
        // DaemonSet and its Service, typically) would show the path of another object, so such a
        // resource is named in full and shown without a construct path
        resourceName: name !== undefined && nameCount.get(name) === 1
          ? name
          : `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`,
        locations: [m ? `${field} (line ${fieldLine(m, f.path)})` : field],
        manifestPath: m?.file ?? '(not in the synthesized manifests)',
      }],
    };
  });
}
