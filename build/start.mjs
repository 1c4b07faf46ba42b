// `npm start`: builds, then launches the Electron app. Where the Electron runtime cannot be obtained (no internet,
// a locked-down machine, CI), it says so in one sentence and starts serve mode instead, printing the address to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { enginesNode, nodeRequirement } from './node-version.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const NO_DISPLAY_SENTENCE =
  'There is no graphical display on this machine, so OCPP Scope is starting in serve mode for a browser instead.';

export const FALLBACK_SENTENCE =
  'The Electron runtime is not available on this machine, so OCPP Scope is starting in serve mode in your browser instead.';

/** The Electron executable if it is already downloaded, without triggering a download (unlike require('electron')). */
export function installedElectron(electronDir = join(root, 'node_modules', 'electron')) {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const full = join(electronDir, 'dist', relative);
    return relative !== '' && existsSync(full) ? full : undefined;
  } catch {
    return undefined;
  }
}

/** Tries Electron's own installer once, bounded in time; offline it fails and we fall back. */
function downloadElectron(env) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD || env.OCPP_SCOPE_NO_ELECTRON) return undefined;
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return undefined;
  console.log(
    'Fetching the Electron runtime (first start only; set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip)...',
  );
  spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 90_000, env });
  return installedElectron();
}

function launchElectron(binary, args, env) {
  return new Promise((resolve) => {
    const child = spawn(binary, [root, ...args], { stdio: 'inherit', env });
    child.once('error', () => resolve(undefined));
    // 127: the binary is there but cannot run (missing system libraries); fall back as if it were missing.
    child.once('exit', (code, signal) => resolve(code === 127 ? undefined : signal ? 1 : (code ?? 1)));
  });
}

async function startServe(args) {
  const cli = join(root, 'dist', 'node', 'cli.mjs');
  if (!existsSync(cli)) {
    console.error('The command line is not built (dist/node/cli.mjs is missing); run `npm run build` first.');
    return 2;
  }
  let main;
  try {
    ({ main } = await import(pathToFileURL(cli).href));
  } catch (error) {
    console.error(
      `The built command line could not be loaded (${error.message}); run \`npm run build\` again.`,
    );
    return 2;
  }
  return main(['serve', ...args]);
}

export async function start(args = process.argv.slice(2), env = process.env) {
  // An older Node still builds and serves today; say once what is supported instead of refusing.
  const requirement = nodeRequirement(enginesNode(join(root, 'package.json')));
  if (requirement) console.warn(requirement);
  if (!env.OCPP_SCOPE_SKIP_BUILD) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', 'build'], {
      cwd: root,
      stdio: 'inherit',
      env,
      shell: process.platform === 'win32',
    });
    if (build.status !== 0) {
      console.error('The build failed, so OCPP Scope cannot start; see the messages above.');
      return build.status ?? 1;
    }
  }
  // Linux without X11 or Wayland (a headless box at a site, CI): a window cannot open, so do not even try to
  // download or launch the runtime; say which of the two reasons applies.
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    console.log(installedElectron() && !env.OCPP_SCOPE_NO_ELECTRON ? NO_DISPLAY_SENTENCE : FALLBACK_SENTENCE);
    return startServe(args);
  }
  const binary = env.OCPP_SCOPE_NO_ELECTRON ? undefined : (installedElectron() ?? downloadElectron(env));
  if (binary) {
    const code = await launchElectron(binary, args, env);
    if (code !== undefined) return code;
  }
  console.log(FALLBACK_SENTENCE);
  return startServe(args);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await start();
}
