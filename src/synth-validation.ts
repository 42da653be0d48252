// Runs the rule engine at synthesis over what will actually be written: every API object of the
// app, after every patch, so that changes made after construction are checked too.
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { acknowledgementAnnotation } from './lint/acknowledgement';
import { Finding, Severity } from './lint/finding';
import { show } from './lint/json';
import { IndexedPair, lintIndexedPairs } from './lint/lint';
import { aList } from './prop-checks';
import { ALL_RULES, findRetiredRule, findRule } from './rules';

/**
 * A rule silenced for one `NodeLocalDaemonService`, with the reason it does not apply.
 */
export interface RuleAcknowledgement {
  /** The rule's id, e.g. `NL102` (see docs/rules.md). */
  readonly ruleId: string;
  /** Why the rule does not apply here; kept in the synthesized manifests. */
  readonly reason: string;
}

/**
 * How a `NodeLocalDaemonService` validates its pairing at synthesis.
 */
export interface SynthValidationOptions {
  /**
   * Fail synthesis on warnings too, not only on errors.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Rules that do not apply to this agent, each with its reason. Their findings about this agent
   * are silenced, and each reason is written to the DaemonSet and the Service as the annotation
   * `cdk8s-node-local/acknowledge-<ruleId>`, so that `cdk8s-node-local lint` and the cdk8s plugin
   * honour it too.
   *
   * @default - no rule is silenced
   */
  readonly acknowledge?: RuleAcknowledgement[];
}

/** What one agent contributes to a validation pass. */
export interface AgentPairing {
  readonly daemonSet: ApiObject;
  readonly service: ApiObject;
  /** The cluster's Kubernetes version (`MAJOR.MINOR`) the agent was given, told to the rules. */
  readonly kubernetesVersion?: string;
}

/** The agents of an app register here, so one pass lints all their pairs together. */
const AGENTS = new WeakMap<IConstruct, AgentPairing[]>();

/** One engine run over the whole app, for the agents of one Kubernetes version. */
interface Pass {
  readonly indexOf: Map<ApiObject, number>;
  /** The construct path of each object of the pass, by position. */
  readonly pathOf: string[];
  /** The findings by the position of the object they belong to: the object at fault, or a client's agent. */
  readonly byObject: Map<number, Finding[]>;
}

/** Every API object of the app as it will be written, serialized once. */
interface Serialized {
  readonly indexOf: Map<ApiObject, number>;
  /** The construct path of each object, by position. */
  readonly pathOf: string[];
  readonly manifests: any[];
}

/**
 * One synthesis of the app. cdk8s runs every construct's validations once in `App.synth()` and
 * again inside each `Chart.toJson()` it calls, so a synthesis runs them several times: within
 * one, the engine runs once and each warning is printed once.
 */
interface Session {
  serialized?: Serialized;
  /** The passes by Kubernetes version (`''` when unknown): agents told different versions are linted apart. */
  readonly passes: Map<string, Pass>;
  readonly printed: Set<string>;
  readonly json: Map<ApiObject, any>;
}
const SESSIONS = new WeakMap<IConstruct, Session>();
const WRAPPED = new WeakSet<object>();

/** Check the acknowledgements now, so that a bad one fails at construction. */
export function checkAcknowledgements(acknowledge: RuleAcknowledgement[] | undefined): RuleAcknowledgement[] {
  const list = acknowledge ?? [];
  if (!Array.isArray(list)) {
    throw new Error(`validation.acknowledge ${show(list)} is not a list: use acknowledge: [{ ruleId: 'NL102', reason: '...' }]`);
  }
  // refuses holes and absurd lengths before reading any item
  aList(() => undefined, "[{ ruleId: 'NL102', reason: '...' }]", 1000)(list, 'validation.acknowledge');
  list.forEach((a, i) => {
    const where = `validation.acknowledge[${i}]`;
    if (a === null || typeof a !== 'object') {
      throw new Error(`${where} is ${show(a)}: an acknowledgement is an object such as { ruleId: 'NL102', reason: '...' }`);
    }
    const retired = typeof a.ruleId === 'string' ? findRetiredRule(a.ruleId) : undefined;
    if (retired !== undefined) {
      throw new Error(`${where}.ruleId ${show(a.ruleId)} names the retired rule ${retired.name}, which reports nothing any more: remove the acknowledgement (see docs/rules.md, Retired rules)`);
    }
    if (typeof a.ruleId !== 'string' || findRule(a.ruleId) === undefined) {
      throw new Error(`${where}.ruleId ${show(a.ruleId)} is not a rule: use one of ${ALL_RULES.map(r => r.id).join(', ')} (see docs/rules.md)`);
    }
    if (typeof a.reason !== 'string' || a.reason.trim() === '') {
      throw new Error(`${where}.reason ${show(a.reason)} for ${a.ruleId} is not a reason: say why the rule does not apply to this agent, e.g. reason: 'the agent binds host port 53, so it cannot surge'`);
    }
  });
  return list;
}

/** Annotations that carry the acknowledgements into the manifests. */
export function acknowledgementAnnotations(acknowledge: RuleAcknowledgement[]): { [key: string]: string } | undefined {
  if (acknowledge.length === 0) {
    return undefined;
  }
  return Object.fromEntries(acknowledge.map(a => [acknowledgementAnnotation(a.ruleId), a.reason.trim()]));
}

/** Register an agent of the app, so the pass includes its pair. */
export function registerAgent(scope: IConstruct, pairing: AgentPairing): void {
  const root = scope.node.root;
  const agents = AGENTS.get(root) ?? [];
  agents.push(pairing);
  AGENTS.set(root, agents);
}

/**
 * cdk8s has no hook for "a synthesis starts": every synthesis goes through `App.synth()`,
 * `App.synthYaml()` or `Chart.toJson()` (which `Testing.synth` calls), so these open a session
 * for the app when it has agents. Patched once, on the prototypes, so that every chart of every
 * app is covered, including charts created later and charts that hold no agent.
 */
function openSessionsOnSynthesis(): void {
  wrapInSession(App.prototype, 'synth');
  wrapInSession(App.prototype, 'synthYaml');
  wrapInSession(Chart.prototype, 'toJson');
}

function wrapInSession(target: any, method: string): void {
  const original = target[method];
  if (typeof original !== 'function' || WRAPPED.has(original)) {
    return;
  }
  const wrapped = function (this: IConstruct, ...args: unknown[]) {
    const root = this.node.root;
    if (!AGENTS.has(root) || SESSIONS.has(root)) {
      return original.apply(this, args);
    }
    SESSIONS.set(root, { passes: new Map(), printed: new Set(), json: new Map() });
    try {
      return original.apply(this, args);
    } finally {
      SESSIONS.delete(root);
    }
  };
  WRAPPED.add(wrapped);
  target[method] = wrapped;
}
openSessionsOnSynthesis();

/**
 * Print a warning on standard error, once per synthesis.
 */
export function printWarning(scope: IConstruct, line: string): void {
  const printed = SESSIONS.get(scope.node.root)?.printed;
  if (printed?.has(line)) {
    return;
  }
  printed?.add(line);
  process.stderr.write(`${line}\n`);
}

/**
 * The findings about one agent's DaemonSet and Service, as they will be written, from a pass
 * over every API object of the app. The pass runs once per synthesis: the first agent to
 * validate runs it, the others reuse it.
 */
export function findingsFor(scope: IConstruct, pairing: AgentPairing): Finding[] {
  const pass = passOf(scope.node.root, pairing.kubernetesVersion ?? '');
  const daemonSetIndex = pass.indexOf.get(pairing.daemonSet);
  const serviceIndex = pass.indexOf.get(pairing.service);
  if (daemonSetIndex === undefined || serviceIndex === undefined) {
    return []; // an object that cannot serialize fails synthesis with cdk8s' own error
  }
  // grouped once per pass, so each agent reads only its own findings
  return [...pass.byObject.get(daemonSetIndex) ?? [], ...pass.byObject.get(serviceIndex) ?? []]
    .map(f => withRelatedPaths(f, pass.pathOf));
}

/** A finding whose message names its related objects (another copy, another policy) by construct path, as cdk8s names objects. */
function withRelatedPaths(f: Finding, pathOf: string[]): Finding {
  const paths = (f.related ?? []).map(r => r.manifestIndex === undefined ? undefined : pathOf[r.manifestIndex]).filter(p => p !== undefined);
  // a cdk8s-plus object's ApiObject is its child `Resource`: name the construct the user made
  return paths.length === 0 ? f : { ...f, message: `${f.message} (see also ${paths.map(p => `[${p.replace(/\/Resource$/, '')}]`).join(', ')})` };
}

/** cdk8s' validation message for a finding: the rule id, the message and the fix. */
export function formatFinding(f: Finding): string {
  return `${f.ruleId}: ${f.message}; fix: ${f.fix}`;
}

/** Whether the finding fails synthesis. */
export function failsSynthesis(f: Finding, strict: boolean): boolean {
  return f.severity === Severity.ERROR || strict;
}

function passOf(root: IConstruct, kubernetesVersion: string): Pass {
  const session = SESSIONS.get(root);
  const cached = session?.passes.get(kubernetesVersion);
  if (cached) {
    return cached;
  }
  const { indexOf, pathOf, manifests } = serializedOf(root, session);
  const pairs: IndexedPair[] = (AGENTS.get(root) ?? [])
    .filter(a => (a.kubernetesVersion ?? '') === kubernetesVersion && indexOf.has(a.daemonSet) && indexOf.has(a.service))
    .map(a => ({ daemonSet: indexOf.get(a.daemonSet)!, service: indexOf.get(a.service)! }));
  const options = kubernetesVersion === '' ? {} : { kubernetesVersion };
  const byObject = new Map<number, Finding[]>();
  for (const { finding, owner } of lintIndexedPairs(manifests, pairs, options)) {
    if (owner === undefined) {
      continue; // not about an object of the app: nothing an agent can fix
    }
    const list = byObject.get(owner);
    if (list) {
      list.push(finding);
    } else {
      byObject.set(owner, [finding]);
    }
  }
  const pass = { indexOf, pathOf, byObject };
  session?.passes.set(kubernetesVersion, pass);
  return pass;
}

function serializedOf(root: IConstruct, session: Session | undefined): Serialized {
  if (session?.serialized) {
    return session.serialized;
  }
  const objects = root.node.findAll().filter(ApiObject.isApiObject);
  const indexOf = new Map<ApiObject, number>();
  const pathOf: string[] = [];
  const manifests: any[] = [];
  for (const object of objects) {
    const json = toJsonOrSkip(object);
    if (session && json !== undefined) {
      session.json.set(object, json);
      memoizeToJson(root, object);
    }
    if (json !== undefined) {
      indexOf.set(object, manifests.length);
      pathOf.push(object.node.path);
      manifests.push(json);
    }
  }
  const serialized = { indexOf, pathOf, manifests };
  if (session) {
    session.serialized = serialized;
  }
  return serialized;
}

/**
 * An object that cannot serialize (a cdk8s-plus Service without ports, say) fails its own
 * synthesis with cdk8s' error; the pass leaves it out rather than hide that error.
 */
function toJsonOrSkip(object: ApiObject): any {
  try {
    return object.toJson();
  } catch {
    return undefined;
  }
}

/**
 * Within a session, the object's toJson() returns the JSON the pass validated: each object is
 * serialized once per synthesis, and what cdk8s writes is exactly what was checked. Outside a
 * session it serializes as usual.
 */
function memoizeToJson(root: IConstruct, object: ApiObject): void {
  const target = object as any;
  if (WRAPPED.has(target.toJson)) {
    return;
  }
  const original = target.toJson;
  const wrapped = function (this: ApiObject) {
    const cached = SESSIONS.get(root)?.json.get(this);
    return cached !== undefined ? cached : original.apply(this);
  };
  WRAPPED.add(wrapped);
  target.toJson = wrapped;
}
