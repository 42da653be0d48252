// Validates manifests with kubernetes-models 5 (installed as kubernetes-models-v5), which knows
// the Kubernetes fields newer than 1.27. The package is ESM-only and jest runs tests as CommonJS,
// so k8s-schema.ts runs this file in a child process: a JSON array of manifests on stdin, a JSON
// array of problem lists (one per manifest) on stdout.
let input = '';
for await (const chunk of process.stdin) {
  input += chunk;
}
const results = [];
for (const manifest of JSON.parse(input)) {
  const apiVersion = manifest?.apiVersion;
  const kind = manifest?.kind;
  let Model;
  try {
    // kubernetes-models lays its classes out as <apiVersion>/<kind>, e.g. apps/v1/DaemonSet
    Model = (await import(`kubernetes-models-v5/${apiVersion}/${kind}`))[kind];
  } catch {
    results.push([`apiVersion ${apiVersion} kind ${kind} is not in kubernetes-models 5`]);
    continue;
  }
  try {
    new Model(manifest).validate();
    results.push([]);
  } catch (e) {
    const errors = Array.isArray(e?.errors) ? e.errors : undefined;
    results.push(errors
      ? errors.map((err) => `${err.instancePath || '/'} ${err.message} (kubernetes-models 5)`)
      : [`${e?.message ?? String(e)} (kubernetes-models 5)`]);
  }
}
process.stdout.write(JSON.stringify(results));
