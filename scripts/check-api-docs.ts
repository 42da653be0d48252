// Fails the build when a public symbol has no doc comment or an optional prop has no @default:
// jsii-docgen writes whatever it finds into API.md, so this is what keeps API.md complete.
// Reads the jsii assembly (.jsii), so it runs after compile.
import * as fs from 'fs';

interface Docs { readonly summary?: string; readonly default?: string }
interface Member { readonly name: string; readonly docs?: Docs; readonly optional?: boolean }
interface Type {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly docs?: Docs;
  readonly properties?: Member[];
  readonly methods?: Member[];
  readonly members?: Member[];
}

const assembly = JSON.parse(fs.readFileSync('.jsii', 'utf-8')) as { types: Record<string, Type> };
const problems: string[] = [];
for (const [fqn, type] of Object.entries(assembly.types)) {
  if (!type.docs?.summary) {
    problems.push(`${fqn} has no doc comment`);
  }
  for (const member of [...type.properties ?? [], ...type.methods ?? [], ...type.members ?? []]) {
    if (!member.docs?.summary) {
      problems.push(`${fqn}.${member.name} has no doc comment`);
    }
  }
  for (const prop of type.datatype ? type.properties ?? [] : []) {
    if (prop.optional && prop.docs?.default === undefined) {
      problems.push(`${fqn}.${prop.name} is optional but has no @default`);
    }
  }
}
if (problems.length > 0) {
  console.error(`api docs: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`api docs: ${Object.keys(assembly.types).length} public types documented, every optional prop has a @default`);
