// `--format sarif`: the findings as one SARIF 2.1.0 log, for GitHub code scanning and the other
// tools that read what kube-linter, Trivy and Checkov write. A pure function of the located
// findings, so the log says what the JSON report says: same findings, files and lines.
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Located } from './locate';
import { LoadedManifest, fieldLine } from './manifests';
import { PackageInfo } from './package-info';
import { ruleAnchor } from '../lint/catalog';
import { Finding, Severity } from '../lint/finding';
import { ReportedFinding } from '../lint/lint';
import { RuleInfo } from '../lint/rule-info';

/** The base every relative artifact URI is resolved against: the directory the command ran in. */
export const SOURCE_ROOT = '%SRCROOT%';

/**
 * The partialFingerprints key of a finding's identity. Not `primaryLocationLineHash`: GitHub's
 * upload-sarif action computes that one itself from the text of the line, and warns on every
 * result whose value it did not compute.
 */
export const FINGERPRINT_KEY = 'nodeLocalFinding/v1';

/** GitHub code scanning cuts rule descriptions longer than this. */
const DESCRIPTION_LIMIT = 1024;
/** GitHub code scanning shows 100 locations of a result and rejects a result with more than 1000. */
const RELATED_LIMIT = 100;

/** What the log is made of. */
export interface SarifInput {
  /** Every finding in report order (see `locate`), the acknowledged ones included. */
  readonly findings: Located<ReportedFinding>[];
  /** The objects read, in the order given to the engine. */
  readonly manifests: LoadedManifest[];
  /** Every rule of the engine, in id order. */
  readonly rules: RuleInfo[];
  /** The directory relative file names are resolved against. */
  readonly cwd: string;
  /** The name the report gives standard input, e.g. `<stdin>`. */
  readonly stdinName: string;
  readonly tool: PackageInfo;
}

/** Builds the SARIF log: one run, every rule in `tool.driver.rules`, one result per finding. */
export function sarifLog(input: SarifInput): SarifLog {
  const artifacts = new Artifacts(input);
  const ruleIndex = new Map(input.rules.map((rule, i) => [rule.id, i]));
  const occurrences = new Map<string, number>();

  const results = input.findings.map((item): SarifResult => {
    const { finding, manifest } = item;
    const index = ruleIndex.get(finding.ruleId);
    const identity = identityOf(finding, manifest, artifacts);
    const occurrence = (occurrences.get(identity) ?? 0) + 1;
    occurrences.set(identity, occurrence);
    const related = item.related.slice(0, RELATED_LIMIT).map(i => input.manifests[i]).filter(m => m !== undefined);

    return {
      ruleId: finding.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: level(finding.severity),
      message: { text: `${sentence(finding.message)} Fix: ${sentence(finding.fix)}` },
      locations: [manifest
        ? { physicalLocation: { artifactLocation: artifacts.locationOf(manifest), region: { startLine: fieldLine(manifest, finding.path) } } }
        : { message: { text: sentence(`${describe(finding.resource)}, which is not in the input`) } }],
      ...(related.length > 0 ? {
        relatedLocations: related.map((m, i) => ({
          id: i + 1,
          physicalLocation: { artifactLocation: artifacts.locationOf(m), region: { startLine: m.line } },
          message: { text: sentence(`${finding.pair ? "The agent's" : "The pair's"} ${describeObject(m.object)}`) },
        })),
      } : {}),
      // the identity of the finding, never its line: inserting documents above leaves it unchanged
      partialFingerprints: { [FINGERPRINT_KEY]: `${sha256(identity)}:${occurrence}` },
      ...(item.acknowledgement ? { suppressions: [suppression(item.acknowledgement, finding.ruleId, input.manifests, artifacts)] } : {}),
      properties: {
        resource: { kind: finding.resource.kind, name: finding.resource.name ?? null, namespace: finding.resource.namespace ?? null },
        path: finding.path,
      },
    };
  });

  const info = input.tool;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: info.name,
          version: info.version,
          semanticVersion: info.version,
          informationUri: info.repositoryUrl ?? `https://www.npmjs.com/package/${info.name}`,
          rules: input.rules.map(rule => ruleDescriptor(rule, info)),
        },
      },
      // absolute only here, so consumers that resolve %SRCROOT% can; every location is relative to it
      originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(input.cwd) } },
      artifacts: artifacts.list,
      results,
    }],
  };
}

function ruleDescriptor(rule: RuleInfo, info: PackageInfo): SarifRule {
  const helpUri = info.repositoryUrl ? `${info.repositoryUrl}/blob/main/docs/rules.md#${ruleAnchor(rule)}` : undefined;
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: limit(sentence(rule.summary)) },
    fullDescription: { text: limit(sentence(rule.reason)) },
    help: {
      text: `${sentence(rule.summary)}\n\nWhy: ${sentence(rule.reason)}\n\nFix: ${sentence(rule.fix)}\n\n`
        + `What it cannot know: ${sentence(rule.limits)}${helpUri ? `\n\nSee ${helpUri}` : ''}`,
      markdown: `**${rule.id} ${rule.name}** (${rule.severity}): ${sentence(rule.summary)}\n\n**Why:** ${sentence(rule.reason)}\n\n`
        + `**Fix:** ${sentence(rule.fix)}\n\n**What it cannot know:** ${sentence(rule.limits)}`
        + `${helpUri ? `\n\n[${rule.id} in the rule catalog](${helpUri})` : ''}`,
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: level(rule.severity) },
    properties: {
      'tags': ['kubernetes', 'node-local', 'reliability'],
      'precision': 'high',
      'problem.severity': level(rule.severity),
    },
  };
}

/** The files of the run, each listed once, with the location results refer to them by. */
class Artifacts {
  public readonly list: SarifArtifact[] = [];
  private readonly indexByFile = new Map<string, number>();

  constructor(private readonly input: SarifInput) {
    // every file read is listed, in input order, findings or not: the log records what was checked
    input.manifests.forEach(m => this.locationOf(m));
  }

  public locationOf(manifest: LoadedManifest): SarifArtifactLocation {
    let index = this.indexByFile.get(manifest.file);
    if (index === undefined) {
      index = this.list.length;
      this.indexByFile.set(manifest.file, index);
      this.list.push({
        location: this.uriOf(manifest.file),
        roles: ['analysisTarget'],
        ...(manifest.file === this.input.stdinName ? { description: { text: 'Standard input.' } } : {}),
      });
    }
    return { ...this.list[index].location, index };
  }

  /** The file's URI: relative to %SRCROOT% inside the working directory, an absolute file URI outside it. */
  private uriOf(file: string): { uri: string; uriBaseId?: string } {
    if (file === this.input.stdinName) {
      // not a file of the repository, but a stable name: the JSON report's, percent-encoded
      return { uri: encodeURIComponent(file) };
    }
    const resolved = path.resolve(this.input.cwd, file);
    const relative = path.relative(this.input.cwd, resolved);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      return { uri: pathToFileURL(resolved).href };
    }
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
  }
}

/** An acknowledgement as SARIF records it: written in the manifest, with its reason, where the annotation is. */
function suppression(acknowledgement: { reason: string; index: number }, ruleId: string, manifests: LoadedManifest[], artifacts: Artifacts) {
  const manifest = manifests[acknowledgement.index];
  const where = manifest === undefined ? {} : {
    location: { physicalLocation: { artifactLocation: artifacts.locationOf(manifest), region: { startLine: annotationLine(manifest, ruleId) } } },
  };
  return { kind: 'inSource', status: 'accepted', justification: acknowledgement.reason, ...where };
}

/** What identifies a finding across runs: its rule, file, object and field (and pair, for a client). */
function identityOf(finding: Finding, manifest: LoadedManifest | undefined, artifacts: Artifacts): string {
  const { kind, namespace, name } = finding.resource;
  const file = manifest ? artifacts.locationOf(manifest).uri : '';
  const pair = finding.pair ? [finding.pair.service, finding.pair.daemonSet].map(describe) : [];
  return JSON.stringify([finding.ruleId, file, kind, namespace ?? '', name ?? '', finding.path, ...pair]);
}

/** The line of the acknowledgement annotation, where the suppression is written. */
function annotationLine(manifest: LoadedManifest, ruleId: string): number {
  return fieldLine(manifest, `/metadata/annotations/cdk8s-node-local~1acknowledge-${ruleId}`);
}

function level(severity: Severity): 'error' | 'warning' {
  return severity === Severity.ERROR ? 'error' : 'warning';
}

/** SARIF messages are sentences (the Multitool's SARIF2001): end each with a period. */
function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Cut at a word so GitHub shows the whole of what is left; the rule's help has the full text. */
function limit(text: string): string {
  if (text.length <= DESCRIPTION_LIMIT) {
    return text;
  }
  const cut = text.slice(0, DESCRIPTION_LIMIT - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}

function describe(ref: { readonly kind: string; readonly name?: string; readonly namespace?: string }): string {
  return `${ref.kind || '(no kind)'} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? '(unnamed)'}`;
}

function describeObject(object: any): string {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return describe({ kind: text(object?.kind) ?? '', name: text(object?.metadata?.name), namespace: text(object?.metadata?.namespace) });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The subset of SARIF 2.1.0 this command writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: SarifRun[];
}

interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version: string;
      readonly semanticVersion: string;
      readonly informationUri: string;
      readonly rules: SarifRule[];
    };
  };
  readonly originalUriBaseIds: { readonly [id: string]: { readonly uri: string } };
  readonly artifacts: SarifArtifact[];
  readonly results: SarifResult[];
}

interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: { readonly text: string; readonly markdown: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: string };
  readonly properties: { readonly [key: string]: unknown };
}

interface SarifMessage {
  readonly text: string;
}

interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
  readonly index?: number;
}

interface SarifArtifact {
  readonly location: SarifArtifactLocation;
  readonly roles: string[];
  readonly description?: SarifMessage;
}

interface SarifLocation {
  readonly id?: number;
  readonly physicalLocation?: { readonly artifactLocation: SarifArtifactLocation; readonly region: { readonly startLine: number } };
  readonly message?: SarifMessage;
}

/** One finding. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex?: number;
  readonly level: 'error' | 'warning';
  readonly message: SarifMessage;
  readonly locations: SarifLocation[];
  readonly relatedLocations?: SarifLocation[];
  readonly partialFingerprints: { readonly [key: string]: string };
  readonly suppressions?: { readonly kind: string; readonly status: string; readonly justification: string; readonly location?: SarifLocation }[];
  readonly properties: { readonly [key: string]: unknown };
}
