// `cdk8s-node-local alerts`: the PrometheusRule of NodeLocalAlerts for every node-local pair the
// rule engine finds in any manifests, for agents installed with Helm, Kustomize or plain YAML.
import { stringify } from 'yaml';
import { InputError, parseManifests } from './manifests';
import { alertsForManifests } from '../alerts/from-manifests';
import {
  AlertSettings, DEFAULT_SETTINGS, ENDPOINT_MISSING, labelValueError, ROLLOUT_STUCK, TRAFFIC_DROPPED,
} from '../alerts/settings';
import { isDns1123Label, isDns1123Subdomain, isLabelKey, isLabelValue, LABEL_RULE } from '../k8s-names';

const PROGRAM = 'cdk8s-node-local';
const ALERTS = [ENDPOINT_MISSING, ROLLOUT_STUCK, TRAFFIC_DROPPED];

export const ALERTS_USAGE = `Usage: ${PROGRAM} alerts [OPTION ...] [FILE ...]

Writes a Prometheus Operator PrometheusRule (monitoring.coreos.com/v1) on standard output with
the alerts of NodeLocalAlerts for every node-local Service in the manifests: a Service with
internalTrafficPolicy: Local (or trafficDistribution: PreferSameNode) and the DaemonSets it
selects. Reads FILEs like the lint command: YAML or JSON, directories, - or nothing for
standard input; at most 16 MiB from all inputs together.

Options:
  -n, --namespace NS             the namespace of objects without metadata.namespace (default: default)
  --rule-namespace NS            metadata.namespace of the PrometheusRule (default: none, kubectl's)
  --name NAME                    metadata.name of the PrometheusRule (default: node-local-alerts)
  --label KEY=VALUE              a label of the PrometheusRule, e.g. release=kube-prometheus-stack (repeatable)
  --kube-state-metrics-job JOB   the job label of kube-state-metrics (default: kube-state-metrics)
  --kube-proxy-job JOB           the job label of kube-proxy (default: kube-proxy)
  --disable ALERT                leave an alert out: ${ALERTS.join(', ')} (repeatable)
  -h, --help                     print this help

Exit codes:
  0  the PrometheusRule was written
  2  the input could not be read, holds no node-local Service with a DaemonSet, or the command line is wrong
`;

/** A file read by the command, as the lint command reads it. */
export interface AlertsInput {
  readonly name: string;
  readonly text: string;
}

/** The streams the subcommand writes. */
export interface AlertsIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

interface AlertsArgs {
  readonly help: boolean;
  readonly namespace: string;
  readonly ruleNamespace?: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly settings: AlertSettings;
  readonly files: string[];
}

/** A wrong command line. */
class AlertsUsageError extends Error {}

/**
 * Runs `cdk8s-node-local alerts ARGS...`.
 *
 * @param argv the arguments after `alerts`
 * @param readInputs reads the named files (or standard input), as the lint command does
 * @returns the exit code; errors of reading are thrown as the lint command throws them
 */
export async function runAlerts(argv: string[], io: AlertsIo, readInputs: (files: string[]) => Promise<AlertsInput[]>): Promise<number> {
  let args: AlertsArgs;
  try {
    args = parseAlertsArgs(argv);
  } catch (e) {
    if (e instanceof AlertsUsageError) {
      io.stderr.write(`${PROGRAM}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    io.stdout.write(ALERTS_USAGE);
    return 0;
  }
  const inputs = await readInputs(args.files);
  const objects = inputs.flatMap((input) => parseManifests(input.name, input.text).map((m) => m.object));
  const names = inputs.map((i) => i.name).join(', ');
  if (objects.length === 0) {
    throw new InputError(`no kubernetes objects in ${names}; give the manifests of the agents (empty and comment-only documents are skipped)`);
  }
  const metadata = {
    name: args.name,
    ...(args.ruleNamespace !== undefined ? { namespace: args.ruleNamespace } : {}),
    ...(Object.keys(args.labels).length > 0 ? { labels: args.labels } : {}),
  };
  const { manifest, problems } = alertsForManifests(objects, args.namespace, metadata, args.settings);
  if (problems.length > 0) {
    throw new InputError(problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''));
  }
  if (manifest === undefined) {
    throw new InputError(`no node-local Service with a DaemonSet in ${names}: the alerts watch Services with internalTrafficPolicy: Local `
      + '(or trafficDistribution: PreferSameNode) and the DaemonSets they select; give the manifests that hold both '
      + `(${PROGRAM} lint tells why a Service selects no DaemonSet)`);
  }
  io.stdout.write(stringify(manifest, { lineWidth: 0, blockQuote: 'literal' }));
  return 0;
}

function parseAlertsArgs(argv: string[]): AlertsArgs {
  let namespace = 'default';
  let ruleNamespace: string | undefined;
  let name = 'node-local-alerts';
  const labels: Record<string, string> = {};
  let kubeStateMetricsJob = DEFAULT_SETTINGS.kubeStateMetricsJob;
  let kubeProxyJob = DEFAULT_SETTINGS.kubeProxyJob;
  const disabled = new Set<string>();
  const files: string[] = [];
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyFiles = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      return { help: true, namespace, name, labels, settings: DEFAULT_SETTINGS, files };
    }
    const [option, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (example: string): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) {
        throw new AlertsUsageError(`${option} needs a value, e.g. ${option} ${example}`);
      }
      return v;
    };
    switch (option) {
      case '-n':
      case '--namespace':
        namespace = namespaceName(option, value('observability'));
        break;
      case '--rule-namespace':
        ruleNamespace = namespaceName(option, value('monitoring'));
        break;
      case '--name': {
        name = value('node-local-alerts');
        if (!isDns1123Subdomain(name)) {
          throw new AlertsUsageError(`--name ${JSON.stringify(name)} is not a valid PrometheusRule name: use lower-case labels of a-z, 0-9 and - separated by dots`);
        }
        break;
      }
      case '--label': {
        const pair = value('release=kube-prometheus-stack');
        const eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new AlertsUsageError(`--label ${JSON.stringify(pair)} is not KEY=VALUE, e.g. --label release=kube-prometheus-stack`);
        }
        const [key, labelValue] = [pair.slice(0, eq), pair.slice(eq + 1)];
        if (!isLabelKey(key) || !isLabelValue(labelValue)) {
          throw new AlertsUsageError(`--label ${JSON.stringify(pair)} is not a Kubernetes label: ${LABEL_RULE}`);
        }
        labels[key] = labelValue;
        break;
      }
      case '--kube-state-metrics-job':
        kubeStateMetricsJob = jobName(option, value('kube-state-metrics'));
        break;
      case '--kube-proxy-job':
        kubeProxyJob = jobName(option, value('kube-proxy'));
        break;
      case '--disable': {
        const alert = value(TRAFFIC_DROPPED);
        if (!ALERTS.includes(alert)) {
          throw new AlertsUsageError(`--disable ${JSON.stringify(alert)} is not an alert; allowed: ${ALERTS.join(', ')}`);
        }
        disabled.add(alert);
        break;
      }
      default:
        throw new AlertsUsageError(`unknown option ${arg} for alerts; allowed: --namespace, --rule-namespace, --name, --label, `
          + '--kube-state-metrics-job, --kube-proxy-job, --disable, --help (a file whose name starts with - goes after --)');
    }
  }
  if (disabled.size === ALERTS.length) {
    throw new AlertsUsageError('every alert is disabled: the PrometheusRule would hold no alert; disable at most two');
  }
  const d = DEFAULT_SETTINGS;
  const settings: AlertSettings = {
    ...d,
    kubeStateMetricsJob,
    kubeProxyJob,
    endpointMissing: { ...d.endpointMissing, enabled: !disabled.has(ENDPOINT_MISSING) },
    rolloutStuck: { ...d.rolloutStuck, enabled: !disabled.has(ROLLOUT_STUCK) },
    trafficDropped: { ...d.trafficDropped, enabled: !disabled.has(TRAFFIC_DROPPED) },
  };
  return { help: false, namespace, ruleNamespace, name, labels, settings, files };
}

function namespaceName(option: string, value: string): string {
  if (!isDns1123Label(value)) {
    throw new AlertsUsageError(`${option} ${JSON.stringify(value)} is not a namespace name: use at most 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit`);
  }
  return value;
}

function jobName(option: string, value: string): string {
  const error = labelValueError(value);
  if (error !== undefined) {
    throw new AlertsUsageError(`${option} ${JSON.stringify(value)} ${error}`);
  }
  return value;
}

