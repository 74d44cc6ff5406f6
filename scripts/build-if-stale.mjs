// Runs `npm run build` only when a build input is newer than the build, so `npm run cli`,
// `npm start` and `npm run webhooks:listen` start at once from a current dist/ (a full build
// takes 10-20 s). Inputs: src/, ormconfig.ts, the tsconfig files, nest-cli.json, package-lock.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// tsc builds incrementally (only changed files are written), so the build's own record of what it
// compiled marks when it last ran; a stamp of ours covers builds that changed nothing.
const records = ['dist/.tsbuildinfo-build', 'dist/.build-stamp'];
const inputs = [
  'src',
  'ormconfig.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  'package-lock.json',
];

/** The newest modification time under `path` (a file or a directory tree). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted or renamed file changes its directory
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const mtime = (path) => statSync(join(root, path), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const built = statSync(join(root, 'dist/src/main.js'), { throwIfNoEntry: false })
  ? Math.max(...records.map(mtime))
  : 0;
const changed = Math.max(...inputs.map((input) => newest(join(root, input))));
if (changed > built) {
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(join(root, 'dist/.build-stamp'), `${new Date().toISOString()}\n`);
}
