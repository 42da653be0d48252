// The command line: `cdk8s-node-local lint [OPTION...] [FILE...]`, `--help`, `--version`.
import { DEFAULT_MAX_INPUT_BYTES, UsageError, maxReadableBytes } from './inputs';
import { DEFAULT_NAMESPACE, KUBERNETES_VERSION_FORMS, formatSize, namespaceProblem, normalizeKubernetesVersion, parseSize } from './option-values';
import { FORMAT_NAMES } from './report-formats';

export { UsageError } from './inputs';

export const PROGRAM = 'cdk8s-node-local';

/** The synopsis, in the usage text and in usage errors. */
export const SYNOPSIS = `${PROGRAM} lint [--strict] [--format ${FORMAT_NAMES.join('|')}] [-n NAMESPACE] [--kube-version X.Y] [--max-input-size SIZE] [FILE ...]`;

export const USAGE = `Usage: ${SYNOPSIS}
       ${PROGRAM} alerts [OPTION ...] [FILE ...]   (the PrometheusRule of the pairs; see alerts --help)

Checks Kubernetes manifests for node-local Services (internalTrafficPolicy: Local, or
trafficDistribution: PreferSameNode) that can drop traffic or reach the wrong node, and for the
DaemonSets behind them and the workloads that send to them.

Reads every YAML or JSON document in each FILE: the output of helm template, kustomize
build or kubectl get -o yaml (List objects are read item by item), with the values kubectl
reads (YAML 1.1: yes/on are booleans, 0755 is octal, 1:30 is text). A directory stands
for the .yaml and .yml files in it and below it (symbolic links followed); name JSON files
one by one. A file reached twice is read once. With no FILE, or with -, reads standard
input. All objects of all files are checked together, so a Service and its DaemonSet can
be in different files. An input without any object is an error.

Options:
  --strict               exit 1 on warnings too, not only on errors
  --format FORMAT        text (default); json, a stable machine-readable report; sarif, a
                         SARIF 2.1.0 log for GitHub code scanning and other CI dashboards
                         (acknowledged findings included, as suppressed); github, GitHub
                         Actions workflow commands that annotate the pull request
  -n, --namespace NS     the namespace of objects without metadata.namespace, as
                         kubectl apply -n and helm install -n apply them (default: ${DEFAULT_NAMESPACE})
  --kube-version X.Y     the cluster's Kubernetes version, e.g. 1.34 (v1.34 and 1.34.2 are
                         read as 1.34); default: unknown, no finding depends on it
  --max-input-size SIZE  the most bytes read from all inputs together (default: ${formatSize(DEFAULT_MAX_INPUT_BYTES)});
                         SIZE in bytes or with K, M or G (powers of 1024), e.g. 64M; at most
                         a fortieth of node's heap limit (about 100 MiB by default)
  -h, --help             print this help
  --version              print the version

Exit codes:
  0  no errors (warnings allowed unless --strict)
  1  errors found (with --strict, warnings too)
  2  the command line is wrong, the input is over the size limit, an input could not be
     read, or the report could not be written. A file that cannot be read (missing, not YAML, a document that is not a
     Kubernetes object) does not hide the others: they are checked and reported on
     standard output, each unreadable file is named on standard error (file:line:column:
     why, one line each), and the exit code is 2.
`;

/** A parsed `lint` command line. */
export interface LintArgs {
  readonly strict: boolean;
  readonly format: string;
  readonly files: string[];
  readonly namespace: string;
  /** MAJOR.MINOR, or undefined when not given. */
  readonly kubernetesVersion?: string;
  readonly maxInputBytes: number;
}

/** What the command line asks for. */
export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'lint'; readonly args: LintArgs };

const OPTIONS_HINT = `allowed: --strict, --format ${FORMAT_NAMES.join('|')}, -n/--namespace NS, --kube-version X.Y, --max-input-size SIZE, --help `
  + '(a file whose name starts with - goes after --)';

/**
 * Reads the arguments after the program name.
 *
 * @throws UsageError naming the argument and what is allowed
 */
export function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined) {
    throw new UsageError(`missing command; usage: ${SYNOPSIS} (see ${PROGRAM} --help)`);
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    return { kind: 'help' };
  }
  if (command === '--version') {
    return { kind: 'version' };
  }
  if (command !== 'lint') {
    const what = command.startsWith('-') ? `option ${command} before the command` : `command "${command}"`;
    throw new UsageError(`unknown ${what}; the commands are lint and alerts: ${SYNOPSIS}`);
  }
  return parseLint(rest);
}

function parseLint(rest: string[]): Command {
  let strict = false;
  let format = FORMAT_NAMES[0];
  let namespace = DEFAULT_NAMESPACE;
  let kubernetesVersion: string | undefined;
  let maxInputBytes = Math.min(DEFAULT_MAX_INPUT_BYTES, maxReadableBytes());
  const files: string[] = [];
  let onlyFiles = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    // `--name value` or `--name=value`
    const valueOf = (name: string, example: string): string => {
      const value = arg === name ? rest[++i] : arg.slice(name.length + 1);
      if (value === undefined || value === '') {
        throw new UsageError(`${name} needs a value (e.g. ${name} ${example})`);
      }
      return value;
    };
    const is = (...names: string[]) => names.some(n => arg === n || arg.startsWith(`${n}=`));

    if (onlyFiles || arg === '-' || !arg.startsWith('-')) {
      files.push(arg);
    } else if (arg === '--') {
      onlyFiles = true;
    } else if (arg === '--help' || arg === '-h') {
      return { kind: 'help' };
    } else if (arg === '--strict') {
      strict = true;
    } else if (is('--format')) {
      const value = valueOf('--format', FORMAT_NAMES[1] ?? FORMAT_NAMES[0]);
      if (!FORMAT_NAMES.includes(value)) {
        throw new UsageError(`unknown --format ${JSON.stringify(value)}; allowed: ${FORMAT_NAMES.join(', ')}`);
      }
      format = value;
    } else if (is('--namespace', '-n')) {
      const value = valueOf(arg.startsWith('--') ? '--namespace' : '-n', 'kube-system');
      const problem = namespaceProblem(value);
      if (problem) {
        throw new UsageError(`${arg.startsWith('--') ? '--namespace' : '-n'}: ${problem}`);
      }
      namespace = value;
    } else if (is('--kube-version')) {
      const value = valueOf('--kube-version', '1.34');
      kubernetesVersion = normalizeKubernetesVersion(value);
      if (kubernetesVersion === undefined) {
        throw new UsageError(`--kube-version: ${JSON.stringify(value)} is not a Kubernetes version; give ${KUBERNETES_VERSION_FORMS}`);
      }
    } else if (is('--max-input-size')) {
      const value = valueOf('--max-input-size', '64M');
      const bytes = parseSize(value);
      if (bytes === undefined) {
        throw new UsageError(`--max-input-size: ${JSON.stringify(value)} is not a size; give a positive number of bytes, or with K, M or G (e.g. 64M)`);
      }
      const readable = maxReadableBytes();
      if (bytes > readable) {
        throw new UsageError(`--max-input-size: ${formatSize(bytes)} is more than this process can read in its memory `
          + `(at most ${formatSize(readable)}); give less, or raise node's heap limit (NODE_OPTIONS=--max-old-space-size=MiB)`);
      }
      maxInputBytes = bytes;
    } else {
      throw new UsageError(`unknown option ${arg}; ${OPTIONS_HINT}`);
    }
  }
  return { kind: 'lint', args: { strict, format, files, namespace, kubernetesVersion, maxInputBytes } };
}
