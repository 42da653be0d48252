import { promises as fs } from 'fs';
import { printable } from '../cli/escape';
import { InputError, LoadedManifest, MAX_ALIAS_VALUES, fieldLine, parseManifests } from '../cli/manifests';
import { DEFAULT_NAMESPACE, KUBERNETES_VERSION_FORMS, namespaceProblem, normalizeKubernetesVersion } from '../cli/option-values';
import { AliasBudget } from '../cli/yaml/to-json';
import { Finding, Severity } from '../lint/finding';
import { lintManifests } from '../lint/lint';
import { LintOptions } from '../lint/lint-options';

const PROPERTIES = ['strict', 'namespace', 'kubernetesVersion'];

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

  /**
   * The namespace that objects without `metadata.namespace` are applied to, as
   * `kubectl apply -n NAMESPACE` applies them (a DNS-1123 label).
   *
   * @default 'default' - kubectl's and Helm's default namespace
   */
  readonly namespace?: string;

  /**
   * The Kubernetes version of the cluster the manifests are applied to, as `MAJOR.MINOR`
   * (e.g. `1.34`; `v1.34` and `1.34.2` are read as `1.34`).
   *
   * @default - unknown: no finding depends on the cluster's version
   */
  readonly kubernetesVersion?: string;
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
 *       namespace: observability    # of objects without metadata.namespace (default: default)
 *       kubernetesVersion: "1.34"   # the cluster's version (default: unknown)
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
   * The namespace of objects without `metadata.namespace`.
   */
  public readonly namespace: string;

  /**
   * The cluster's Kubernetes version as `MAJOR.MINOR`, or undefined when unknown.
   */
  public readonly kubernetesVersion?: string;

  /**
   * Called by the cdk8s CLI with the `properties:` of the plugin's entry in `cdk8s.yaml`.
   *
   * @param props the plugin's properties: `strict`, `namespace`, `kubernetesVersion`
   * @throws when the properties are not a map, or a property is unknown or has the wrong type or value
   */
  constructor(props: NodeLocalValidationProps = {}) {
    // cdk8s.yaml is hand-written YAML: check what it passes, a typo must not disable a check
    const given = checkProperties(props);
    if (given.strict !== undefined && typeof given.strict !== 'boolean') {
      throw new Error(`property strict of NodeLocalValidation must be true or false, got ${describeValue(given.strict)}; `
        + 'write strict: true (no quotes) in cdk8s.yaml');
    }
    this.strict = given.strict ?? false;

    if (given.namespace !== undefined && typeof given.namespace !== 'string') {
      throw new Error(`property namespace of NodeLocalValidation must be a namespace name, got ${describeValue(given.namespace)}; `
        + 'write e.g. namespace: kube-system in cdk8s.yaml');
    }
    const problem = given.namespace === undefined ? undefined : namespaceProblem(given.namespace);
    if (problem) {
      throw new Error(`property namespace of NodeLocalValidation: ${printable(problem)}`);
    }
    this.namespace = given.namespace ?? DEFAULT_NAMESPACE;

    const version = given.kubernetesVersion;
    if (version !== undefined) {
      // `kubernetesVersion: 1.34` unquoted is a number in YAML; 1.30 would be read as 1.3, so only a string is safe
      const normalized = typeof version === 'string' ? normalizeKubernetesVersion(version) : undefined;
      if (normalized === undefined) {
        throw new Error(`property kubernetesVersion of NodeLocalValidation must be a Kubernetes version, got ${describeValue(version)}; `
          + `give ${KUBERNETES_VERSION_FORMS}, quoted in cdk8s.yaml (kubernetesVersion: "1.34")`);
      }
      this.kubernetesVersion = normalized;
    }
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
    const aliasBudget = new AliasBudget(MAX_ALIAS_VALUES);
    let unreadable = 0;
    for (const manifestPath of ctx.manifests) {
      try {
        for (const m of parseManifests(manifestPath, await fs.readFile(manifestPath, 'utf-8'), { aliasBudget })) {
          manifests.push(m);
        }
      } catch (e: any) {
        // cdk8s writes valid YAML, but an app can include anything: report it, check the other
        // manifests, and fail; never crash the CLI
        const problem = e instanceof InputError ? e.message : `cannot read ${manifestPath}: ${String(e?.message ?? e).split('\n')[0]}`;
        ctx.report.addViolation({
          ruleName: '[error] unreadable-manifest',
          recommendation: printable(`${problem}: the node-local rules cannot check it`),
          fix: 'Make the app write YAML documents of Kubernetes objects (check the files it includes)',
          violatingResources: [{ resourceName: printable(manifestPath), manifestPath: printable(manifestPath), locations: [] }],
        });
        unreadable++;
      }
    }

    const options: LintOptions = {
      namespace: this.namespace,
      ...(this.kubernetesVersion !== undefined ? { kubernetesVersion: this.kubernetesVersion } : {}),
    };
    const findings = manifests.length > 0 ? lintManifests(manifests.map(m => m.object), options) : [];
    for (const violation of toViolations(findings, manifests)) {
      ctx.report.addViolation(violation);
    }

    const errors = findings.filter(f => f.severity === Severity.ERROR).length;
    const warnings = findings.length - errors;
    const failed = unreadable > 0 || errors > 0 || (this.strict && warnings > 0);
    ctx.report.submit(failed ? 'failure' : 'success', {
      errors: String(errors),
      warnings: String(warnings),
      resources: String(manifests.length),
      ...(unreadable > 0 ? { unreadable: String(unreadable) } : {}),
      namespace: this.namespace,
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
    // every text can hold strings from the manifests: cdk8s prints them to a terminal
    return {
      ruleName: `[${f.severity}] ${f.ruleId} ${f.ruleName}`,
      recommendation: printable(f.message),
      fix: printable(f.fix),
      violatingResources: [{
        // cdk8s finds the construct path by metadata.name alone: a name several objects share (a
        // DaemonSet and its Service, typically) would show the path of another object, so such a
        // resource is named in full and shown without a construct path; an escaped name is kept
        // as is so that cdk8s still finds the path of a plain one
        resourceName: printable(name !== undefined && nameCount.get(name) === 1
          ? name
          : `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`),
        locations: [printable(m ? `${field} (line ${fieldLine(m, f.path)})` : field)],
        manifestPath: printable(m?.file ?? '(not in the synthesized manifests)'),
      }],
    };
  });
}

/** The properties as a map, refusing anything else and unknown names. */
function checkProperties(props: unknown): { strict?: unknown; namespace?: unknown; kubernetesVersion?: unknown } {
  if (props === undefined || props === null) {
    return {}; // `properties:` left empty
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new Error(`the properties of NodeLocalValidation in cdk8s.yaml must be a map, got ${describeValue(props)}; `
      + `write them as "properties:" followed by indented "name: value" lines (allowed: ${PROPERTIES.join(', ')})`);
  }
  for (const key of Object.keys(props)) {
    if (!PROPERTIES.includes(key)) {
      throw new Error(`unknown property ${JSON.stringify(printable(key))} of NodeLocalValidation in cdk8s.yaml; allowed: ${PROPERTIES.join(', ')}`);
    }
  }
  return props as Record<string, unknown>;
}

/** A value from cdk8s.yaml, for a message: its JSON, or its type when it has none. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) {
    return `a list (${printable(truncate(safeStringify(value)))})`;
  }
  const text = safeStringify(value);
  return text === undefined ? typeof value : printable(truncate(text));
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function truncate(text: string | undefined): string {
  const t = text ?? '';
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
