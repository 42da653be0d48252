#!/usr/bin/env bash
# Consumer test: installs the packed library into a fresh cdk8s app in a temporary folder, with
# cdk8s, cdk8s-plus-27, constructs and cdk8s-cli from the registry, the way a user meets it, and
# checks what only the published package can show: its exports and types, its peer dependencies,
# the cdk8s validation plugin (by local path and by package name) and the bin.
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
import { NodeLocalAlerts, NodeLocalDaemonService } from '$name';

export const app = new App();
const chart = new Chart(app, 'agent', { namespace: 'observability' });
const agent = new NodeLocalDaemonService(chart, 'otel-agent', {
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
new NodeLocalAlerts(chart, 'alerts', { agents: [agent] });
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

# 7. the alerts command on the synthesized YAML writes the rules the construct wrote
if npx "$name" alerts dist > "$work/alerts.yaml" 2> "$work/alerts.log" && node -e "
  const yaml = require('$name/node_modules/yaml');
  const fs = require('fs');
  const written = yaml.parseAllDocuments(fs.readFileSync('dist/agent.k8s.yaml', 'utf-8')).map(d => d.toJS()).find(o => o.kind === 'PrometheusRule');
  const printed = yaml.parse(fs.readFileSync('$work/alerts.yaml', 'utf-8'));
  const sorted = (v) => JSON.stringify(v, (k, x) => x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x);
  if (printed.kind !== 'PrometheusRule' || sorted(printed.spec) !== sorted(written.spec)) process.exit(1);
" 2>> "$work/alerts.log"; then
  pass "$name alerts dist writes the PrometheusRule the construct wrote"
else
  fail "$name alerts dist writes the PrometheusRule the construct wrote" "$work/alerts.log"
fi

elapsed=$((SECONDS - started))
if [ "$failures" -gt 0 ]; then
  say "FAIL $failures check(s) failed (${elapsed}s)"
  exit 1
fi
say "PASS all checks (${elapsed}s)"
