import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-node-local',
  description:
    'A cdk8s construct that pairs a DaemonSet with an internalTrafficPolicy: Local Service, safe by default and checked at synth time',
  author: 'Seed 914e52da maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-914e52da.example',
  repositoryUrl: 'https://github.com/maintainers/cdk8s-node-local.git',
  keywords: ['cdk8s', 'kubernetes', 'daemonset', 'internalTrafficPolicy', 'node-local', 'lint'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  // The peer dependencies a user's app provides; the dev versions are the lowest we support.
  cdk8sVersion: '2.68.11',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // projen pins each peer at its minimum for the dev install, but cdk8s 2.68.11 was never
  // published to npm: test against the lowest published versions inside the peer ranges.
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'cdk8s@2.68.12',
    'constructs@10.3.0',
    'cdk8s-plus-27@2.9.5',
    // connect() takes clients of any cdk8s-plus: apps made by `cdk8s init` use cdk8s-plus-33,
    // and 34 is the newest. Both accept our dev cdk8s (their peer range is cdk8s ^2.68.11).
    'cdk8s-plus-33@^2.5.57',
    'cdk8s-plus-34@^2.0.54',
    'cdk8s-cli@^2.207.0',
    'kubernetes-models@^4.5.1',
    'fast-check@^4.3.0',
    'ajv@^8.17.0',
    // the reference SARIF validator (a self-contained binary per platform): the tests validate
    // every SARIF log they produce against the SARIF rules and GitHub's ingestion rules
    '@microsoft/sarif-multitool@^5.7.0',
  ],
  bundledDeps: ['yaml@^2.8.0'],

  // jsii publishing targets: only the npm package is built on this machine, the other
  // languages are configured so a release pipeline with their toolchains can build them.
  publishToPypi: {
    distName: 'cdk8s-node-local',
    module: 'cdk8s_node_local',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_node_local',
    mavenGroupId: 'io.github.cdk8s-node-local',
    mavenArtifactId: 'cdk8s-node-local',
  },
  publishToNuget: {
    dotNetNamespace: 'Cdk8sNodeLocal',
    packageId: 'Cdk8sNodeLocal',
  },
  publishToGo: {
    moduleName: 'github.com/maintainers/cdk8s-node-local-go',
  },

  // This repository is not built on GitHub; CI is .ci/run.
  github: false,
  release: false,
  sampleCode: false,
});

// projen asks for the `ts5.9` dist-tag of @types/node, which the registry does not serve;
// Node 20 is the runtime we support, so its types are the right ones anyway.
project.addDevDeps('@types/node@^20');

// cdk8s 2.68.11 is unpublished, so the dev install cannot sit exactly on the peer's minimum;
// jsii's hint about that is noise here.
project.compileTask.reset(
  'jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency',
);

// Only the npm package can be built on our machines (no Python, Java, .NET or Go toolchains),
// so `package` builds it alone; `package-all` stays for a release machine that has them all.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// `npm run example` synthesizes the example app with the cdk8s CLI. The upgrade check needs
// the internet, hence --no-check-upgrade.
project.addTask('example', {
  description: 'Synthesize the example app in examples/ to YAML (examples/dist)',
  cwd: 'examples',
  exec: 'cdk8s synth --no-check-upgrade',
});
project.gitignore.addPatterns('/examples/dist/', '/test/.readme-*/');

// The example app and the maintenance scripts are TypeScript too: lint them with the rest.
// Each folder has its own tsconfig.json so typescript-eslint's project service finds them.
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.npmignore?.addPatterns('/examples/', '/.ci/', '/scripts/');

// docs/rules.md, the rule catalog, is generated from src/rules: `npx projen docs:rules` writes
// it, and the build fails when the committed file is stale.
const catalog = 'ts-node --project test/tsconfig.json scripts/rules-catalog.ts';
project.addTask('docs:rules', { description: 'Write docs/rules.md from the rules in src/rules', exec: catalog });
const catalogCheck = project.addTask('docs:rules:check', {
  description: 'Fail when docs/rules.md is not what src/rules generates',
  exec: `${catalog} --check`,
});
project.postCompileTask.spawn(catalogCheck);

// API.md is only as complete as the doc comments: fail the build on a public symbol without one,
// or an optional prop without @default.
project.postCompileTask.exec('ts-node --project scripts/tsconfig.json scripts/check-api-docs.ts');

// The linter command: `cdk8s-node-local lint [--strict] [--format text|json|sarif|github] [FILE ...]`.
project.addBins({ 'cdk8s-node-local': 'lib/cli/bin.js' });

// The consumer test installs the packed tarball into a fresh cdk8s app (from the npm registry)
// and runs the construct, the validation plugin and the bin the way a user does. projen locks
// the build task, so `package` runs it right after writing the tarball.
const consumerTest = project.addTask('consumer-test', {
  description: 'Install the packed package into a fresh cdk8s app and check the construct, the plugin and the bin',
  exec: 'bash scripts/consumer-test.sh',
});
project.packageTask.spawn(consumerTest);

// `npm run bench` measures synthesis and linting against the hand-written equivalent and the
// parse floor, and writes bench/results.json. Not part of the build: figures, not pass/fail.
project.addTask('bench', {
  description: 'Benchmark synthesis and linting against hand-written cdk8s-plus and the parse floor (writes bench/results.json)',
  exec: 'ts-node -T -P bench/tsconfig.json bench/bench.ts',
  receiveArgs: true,
});
project.eslint?.addLintPattern('bench');
project.npmignore?.addPatterns('/bench/');

project.synth();
