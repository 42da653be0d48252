// What the reports say about the tool itself, read from the package's own package.json.
import { readFileSync } from 'fs';
import * as path from 'path';

/** The tool's name, version and published repository. */
export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  /** The repository's web address (`https://github.com/OWNER/REPO`), undefined when package.json has none. */
  readonly repositoryUrl: string | undefined;
}

/** Reads package.json, which is two levels above both lib/cli/*.js and src/cli/*.ts. */
export function packageInfo(): PackageInfo {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
  const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return { name: String(pkg.name), version: String(pkg.version), repositoryUrl: webUrl(repository) };
}

/** `git+https://github.com/o/r.git` and `https://github.com/o/r.git` to `https://github.com/o/r`. */
function webUrl(repository: unknown): string | undefined {
  if (typeof repository !== 'string') {
    return undefined;
  }
  const url = repository.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  return /^https:\/\/[^\s]+$/.test(url) ? url : undefined;
}
