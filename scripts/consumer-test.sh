#!/usr/bin/env bash
# Consumer test: installs the packed library into a fresh cdk8s app in a temporary folder, with
# cdk8s, cdk8s-plus-27, constructs and cdk8s-cli from the registry, the way a user meets it, and
# checks what only the published package can show: its exports and types, its peer dependencies,
# the cdk8s validation plugin (by local path and by package name), the bin, and an app as
# `cdk8s init` makes it today (cdk8s-plus-33 workloads wired with connect()).
#
# Usage: scripts/consumer-test.sh [TARBALL]
#   TARBALL defaults to dist/js/cdk8s-node-local@<version>.jsii.tgz, written by `npx projen package`.
#   CDK8S_CLI_VERSION overrides the cdk8s-cli version range (default ^2.207.0).
#   KEEP_CONSUMER_DIR=1 keeps the temporary folder for debugging.
# Needs the npm registry (or a warm npm cache); no cluster, no Docker, no template download.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
started=$SECONDS
failures=0

say() { echo "consumer-test: $*"; }
pass() { say "PASS $1"; }
fail() {
  say "FAIL $1"
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    sed 's/^/  | /' "$2" | tail -n 60
  fi
  failures=$((failures + 1))
}

name=$(node -p "require('$repo/package.json').name")
version=$(node -p "require('$repo/package.json').version")
tarball="${1:-$repo/dist/js/$name@$version.jsii.tgz}"
if [ ! -f "$tarball" ]; then
  say "FAIL no tarball at $tarball; run 'npx projen package' first, or pass the tarball's path"
  exit 1
fi
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")

work=$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-node-local-consumer.XXXXXX")
cleanup() {
  if [ "${KEEP_CONSUMER_DIR:-}" = 1 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
app="$work/app"
mkdir -p "$app"
cd "$app"

# The peer dependency ranges of the packed package: the app gets what a user's npm would pick.
peer() { node -e "const p = JSON.parse(require('fs').readFileSync(0, 'utf-8')); console.log(p.peerDependencies['$1'])" < "$work/package.json"; }
tar -xzOf "$tarball" package/package.json > "$work/package.json"

cat > package.json <<'EOF'
{
  "name": "consumer-app",
  "version": "0.0.0",
  "private": true,
  "description": "A cdk8s app that uses cdk8s-node-local from its tarball"
}
EOF

cat > tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2020",
    "module": "CommonJS",
    "lib": ["es2020"],
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "types": []
  },
  "include": ["*.ts"]
}
EOF

# The plugin by local path, as the README shows it.
cat > cdk8s.yaml <<EOF
language: typescript
app: npx ts-node main.ts
output: dist
validations:
  - package: ./node_modules/$name
    version: $version
    class: NodeLocalValidation
EOF

# A correct app: the construct from the package's root, with a readiness probe.
cat > agent.ts <<EOF
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NodeLocalDaemonService } from '$name';

export const app = new App();
const chart = new Chart(app, 'agent', { namespace: 'observability' });
new NodeLocalDaemonService(chart, 'otel-agent', {
  metadata: { name: 'otel-agent' },
  containers: [{
    name: 'collector',
    image: 'otel/opentelemetry-collector-contrib:0.98.0',
    readiness: kplus.Probe.fromHttpGet('/', { port: 13133 }),
  }],
  ports: [
    { name: 'otlp-grpc', port: 4317, appProtocol: 'grpc' },
    { name: 'jaeger-compact', port: 6831, protocol: kplus.Protocol.UDP },
  ],
});
EOF
cat > main.ts <<EOF
import { app } from './agent';

app.synth();
EOF

# The same app, plus a broken node-local pairing included as plain YAML (as a Helm chart renders it).
cp "$repo/test/consumer/broken-pairing.yaml" broken-pairing.yaml
cat > broken.ts <<EOF
import { Chart, Include } from 'cdk8s';
import { app } from './agent';

const thirdParty = new Chart(app, 'third-party');
new Include(thirdParty, 'node-cache', { url: 'broken-pairing.yaml' });
app.synth();
EOF

say "installing $(basename "$tarball") with its peers and cdk8s-cli"
install_started=$SECONDS
if npm install --no-audit --no-fund --no-progress --loglevel=error --prefer-offline \
  "$tarball" \
  "cdk8s@$(peer cdk8s)" \
  "cdk8s-plus-27@$(peer cdk8s-plus-27)" \
  "constructs@$(peer constructs)" \
  "cdk8s-cli@${CDK8S_CLI_VERSION:-^2.207.0}" \
  "ts-node@^10.9.2" \
  "typescript@~5.9.0" > "$work/install.log" 2>&1; then
  pass "npm install of the tarball and its peers ($((SECONDS - install_started))s)"
else
  fail "npm install of the tarball and its peers" "$work/install.log"
  exit 1
fi

# 1. a correct app synthesizes, and the plugin ran and passed
if npx cdk8s synth --no-check-upgrade > "$work/good.log" 2>&1 \
  && grep -q "Validation Report (.*$name@$version)" "$work/good.log"; then
  pass "cdk8s synth of a correct app with the plugin (by local path) exits 0"
else
  fail "cdk8s synth of a correct app with the plugin (by local path) exits 0" "$work/good.log"
fi

# the README says to apply dist/*.k8s.yaml, not dist/, when a plugin is configured: this is why
if [ -f dist/construct-metadata.json ] && ! grep -q '"kind"' dist/construct-metadata.json; then
  pass "with the plugin configured, cdk8s synth writes dist/construct-metadata.json, which is no Kubernetes object"
else
  fail "with the plugin configured, cdk8s synth writes dist/construct-metadata.json, which is no Kubernetes object"
fi

# 2. what the construct synthesized passes the bin too
if npx "$name" lint dist > "$work/lint-good.log" 2>&1; then
  pass "$name lint of the correct app's manifests exits 0"
else
  fail "$name lint of the correct app's manifests exits 0" "$work/lint-good.log"
fi

# 3. an app that includes a broken pairing fails synthesis, with the rule id in the report
set +e
npx cdk8s synth --no-check-upgrade --app "npx ts-node broken.ts" --output dist-broken > "$work/broken.log" 2>&1
code=$?
set -e
if [ "$code" -ne 0 ] && grep -q "NL002" "$work/broken.log" && grep -q "Validation failed" "$work/broken.log"; then
  pass "cdk8s synth of an app including a headless node-local Service fails with NL002 (exit $code)"
else
  fail "cdk8s synth of an app including a headless node-local Service fails with NL002 (exit $code)" "$work/broken.log"
fi

# 4. the bin, on the plain YAML
set +e
npx "$name" lint broken-pairing.yaml > "$work/lint-broken.log" 2>&1
code=$?
set -e
if [ "$code" -eq 1 ] && grep -q "broken-pairing.yaml:.*Service kube-system/node-cache" "$work/lint-broken.log" \
  && grep -q "NL002" "$work/lint-broken.log"; then
  pass "$name lint broken-pairing.yaml exits 1 with NL002"
else
  fail "$name lint broken-pairing.yaml exits 1 with NL002 (exit $code)" "$work/lint-broken.log"
fi

if [ "$(npx "$name" --version 2>&1)" = "$version" ]; then
  pass "$name --version prints $version"
else
  fail "$name --version prints $version (got: $(npx "$name" --version 2>&1 | head -n 1))"
fi

# 5. the JSON report, from standard input
set +e
npx "$name" lint --format json < broken-pairing.yaml > "$work/lint-json.log" 2>&1
code=$?
set -e
if [ "$code" -eq 1 ] && node -e "
  const r = JSON.parse(require('fs').readFileSync('$work/lint-json.log', 'utf-8'));
  if (r.version !== 1 || !r.findings.some(f => f.ruleId === 'NL002' && f.file === '<stdin>' && f.line > 0)) process.exit(1);
" 2> /dev/null; then
  pass "$name lint --format json < broken-pairing.yaml exits 1 with NL002 in version 1 JSON"
else
  fail "$name lint --format json < broken-pairing.yaml (exit $code)" "$work/lint-json.log"
fi

# 5b. the SARIF log: its tool version and rule links come from the installed package
set +e
npx "$name" lint --format sarif broken-pairing.yaml > "$work/lint-sarif.log" 2>&1
code=$?
set -e
if [ "$code" -eq 1 ] && node -e "
  const log = JSON.parse(require('fs').readFileSync('$work/lint-sarif.log', 'utf-8'));
  const run = log.runs[0];
  const result = run.results.find(r => r.ruleId === 'NL002');
  if (log.version !== '2.1.0' || run.tool.driver.version !== '$version' || !result
    || result.locations[0].physicalLocation.artifactLocation.uri !== 'broken-pairing.yaml'
    || !/\/blob\/main\/docs\/rules.md#nl002-/.test(run.tool.driver.rules[result.ruleIndex].helpUri)) process.exit(1);
" 2> /dev/null; then
  pass "$name lint --format sarif broken-pairing.yaml exits 1 with NL002 in a SARIF 2.1.0 log of version $version"
else
  fail "$name lint --format sarif broken-pairing.yaml (exit $code)" "$work/lint-sarif.log"
fi

# 6. the plugin by package name and version, with properties. cdk8s-cli would npm-install it into
# the plugins directory; this package is not published from here, so the directory is filled
# beforehand with the installed copy, which is what that install produces.
mkdir -p by-name "$work/plugins/$name/$version/node_modules"
ln -s "$app/node_modules/$name" "$work/plugins/$name/$version/node_modules/$name"
cp agent.ts main.ts tsconfig.json by-name/
cat > by-name/cdk8s.yaml <<EOF
language: typescript
app: npx ts-node main.ts
output: dist
pluginsDirectory: $work/plugins
validations:
  - package: $name
    version: $version
    class: NodeLocalValidation
    properties:
      strict: true
EOF
if (cd by-name && npx cdk8s synth --no-check-upgrade) > "$work/by-name.log" 2>&1 \
  && grep -q "Validation Report ($name@$version)" "$work/by-name.log" \
  && grep -Eq "strict +│ +true" "$work/by-name.log"; then
  pass "cdk8s synth with the plugin by package name and strict: true exits 0"
else
  fail "cdk8s synth with the plugin by package name and strict: true exits 0" "$work/by-name.log"
fi

# 7. An app as `cdk8s init typescript-app` makes it today: its own workloads on the cdk8s-plus that
# the installed cdk8s-cli's template brings (cdk8s-plus-33 as of cdk8s-cli 2.207), cdk8s-plus-27
# beside it for the agent's props, compiled with the template's tsconfig (strict, no skipLibCheck).
# It connect()s a cdk8s-plus Deployment and a generated KubeDeployment and synthesizes with the
# CLI and the plugin. The versions are those init would pin, read from the installed cdk8s-cli, so
# the install above is reused (npm only adds what it lacks). `cdk8s import` needs the internet, so
# the KubeDeployment comes from the cdk8s-plus package's own k8s module.
template="node_modules/cdk8s-cli/templates/typescript-app"
if init_pins=$(node -e "
  const fs = require('fs');
  const path = require('path');
  const cli = path.resolve('node_modules/cdk8s-cli');
  const version = m => require(require.resolve(m + '/package.json', { paths: [cli] })).version;
  const plus = /\"(cdk8s-plus-[0-9]+)\"/.exec(fs.readFileSync('$template/package.json', 'utf-8'))[1];
  const constructs = require(cli + '/package.json').dependencies.constructs.replace('^', '');
  console.log([plus, '^' + version(plus), '^' + version('cdk8s'), '^' + constructs].join(' '));
" 2> "$work/init-pins.log"); then
  read -r plus plus_range cdk8s_range constructs_range <<< "$init_pins"
  say "cdk8s init brings $plus@$plus_range, cdk8s@$cdk8s_range, constructs@$constructs_range"
else
  fail "read what cdk8s init pins from the installed cdk8s-cli" "$work/init-pins.log"
  plus=""
fi
if [ -n "$plus" ]; then
  pins_started=$SECONDS
  if npm install --no-audit --no-fund --no-progress --loglevel=error --prefer-offline \
    "$plus@$plus_range" "cdk8s@$cdk8s_range" "constructs@$constructs_range" > "$work/install-init.log" 2>&1; then
    pass "npm install of what cdk8s init pins ($((SECONDS - pins_started))s)"
  else
    fail "npm install of what cdk8s init pins" "$work/install-init.log"
  fi
  mkdir -p init-app
  cp "$template/tsconfig.json" init-app/tsconfig.json
  cat > init-app/main.ts <<TS
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus from '$plus';
import { Construct } from 'constructs';
import { ClientEndpoint, NodeLocalDaemonService } from '$name';

export class Agents extends Chart {
  public readonly agent: NodeLocalDaemonService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // the agent's props are cdk8s-plus-27's
    this.agent = new NodeLocalDaemonService(this, 'otel-agent', {
      metadata: { name: 'otel-agent' },
      containers: [{
        name: 'collector',
        image: 'otel/opentelemetry-collector-contrib:0.98.0',
        readiness: kplus27.Probe.fromHttpGet('/', { port: 13133 }),
      }],
      ports: [
        { name: 'otlp-grpc', port: 4317, appProtocol: 'grpc' },
        { name: 'statsd', port: 8125, protocol: kplus27.Protocol.UDP, hostPort: 8125 },
      ],
      validation: { acknowledge: [{ ruleId: 'NL102', reason: 'statsd binds host port 8125, so the agent cannot surge' }] },
    });
  }
}

export class Shop extends Chart {
  constructor(scope: Construct, id: string, agent: NodeLocalDaemonService, props: ChartProps = {}) {
    super(scope, id, props);
    // the app's own workloads are on the cdk8s-plus of cdk8s init
    const checkout = new kplus.Deployment(this, 'checkout', {
      metadata: { name: 'checkout' },
      containers: [{ name: 'app', image: 'ghcr.io/example/checkout:1.0.0', portNumber: 8080 }],
    });
    agent.connect(checkout, { port: 'otlp-grpc', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', scheme: 'http' });
    const labels = { app: 'worker' };
    const worker = new kplus.k8s.KubeDeployment(this, 'worker', {
      metadata: { name: 'worker' },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'worker', image: 'ghcr.io/example/worker:1.0.0' }] } },
      },
    });
    agent.connect(worker, { port: 'statsd', env: 'STATSD_ADDRESS', via: ClientEndpoint.hostIp() });
  }
}

const app = new App();
const agents = new Agents(app, 'agents', { namespace: 'observability' });
new Shop(app, 'shop', agents.agent, { namespace: 'shop' });
app.synth();
TS
  # tsc compiles once; the CLI then runs the JavaScript instead of type-checking again with ts-node
  cat > init-app/cdk8s.yaml <<YAML
language: typescript
app: node main.js
output: dist
validations:
  - package: $app/node_modules/$name
    version: $version
    class: NodeLocalValidation
YAML
  tsc_started=$SECONDS
  if (cd init-app && npx tsc -p tsconfig.json) > "$work/init-tsc.log" 2>&1; then
    pass "an app on $plus compiles with cdk8s init's tsconfig (strict, no skipLibCheck) ($((SECONDS - tsc_started))s)"
  else
    fail "an app on $plus compiles with cdk8s init's tsconfig (strict, no skipLibCheck)" "$work/init-tsc.log"
  fi
  if (cd init-app && npx cdk8s synth --no-check-upgrade) > "$work/init-synth.log" 2>&1 \
    && grep -q "Validation Report (.*$name@$version)" "$work/init-synth.log"; then
    pass "cdk8s synth of the $plus app with the plugin exits 0"
  else
    fail "cdk8s synth of the $plus app with the plugin exits 0" "$work/init-synth.log"
  fi
  # the variables, read back from the YAML the CLI wrote
  if node -e "
    const { Yaml } = require('cdk8s');
    const docs = Yaml.load('init-app/dist/shop.k8s.yaml');
    const env = name => docs.find(d => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0].env;
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const problems = [];
    const checkout = env('checkout');
    if (!same(checkout, [{ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-agent.observability.svc.cluster.local:4317' }])) problems.push('checkout env: ' + JSON.stringify(checkout));
    const worker = env('worker');
    if (!same(worker, [{ name: 'NODE_LOCAL_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }, { name: 'STATSD_ADDRESS', value: '\$(NODE_LOCAL_HOST_IP):8125' }])) problems.push('worker env: ' + JSON.stringify(worker));
    if (problems.length > 0) { console.error(problems.join('\n')); process.exit(1); }
  " > "$work/init-yaml.log" 2>&1; then
    pass "the YAML has the connected variables of the $plus Deployment and the KubeDeployment"
  else
    fail "the YAML has the connected variables of the $plus Deployment and the KubeDeployment" "$work/init-yaml.log"
  fi
fi

elapsed=$((SECONDS - started))
if [ "$failures" -gt 0 ]; then
  say "FAIL $failures check(s) failed (${elapsed}s)"
  exit 1
fi
say "PASS all checks (${elapsed}s)"
