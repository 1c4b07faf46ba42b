import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';

/**
 * Serves the built renderer (dist/renderer) for both the Electron app protocol and the serve host: a request path
 * maps to a file inside the root or to nothing, never outside it.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface FileAnswer {
  status: number;
  contentType: string;
  body: Buffer | string;
}

/** The repository (or installed app) root: the nearest folder up from `from` whose package.json is ours. */
export function findPackageRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (let i = 0; i < 12; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'ocpp-scope')
          return dir;
      } catch {
        // A broken package.json further down is not ours; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

export function defaultRendererRoot(from: string): string {
  return join(findPackageRoot(from) ?? resolve(from, '..', '..'), 'dist', 'renderer');
}

export const UI_NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OCPP Scope: the UI is not built</title></head>
<body style="font-family: sans-serif; margin: 3em; max-width: 40em">
<h1>The OCPP Scope UI is not built yet</h1>
<p>The engine is running, but there is no built user interface in <code>dist/renderer</code>.
Run <code>npm run build</code> in the checkout, then reload this page.</p>
</body></html>
`;

/** Maps a URL path ("/", "/assets/index-abc.js") to a file in root; index.html for the root path. */
export function resolveRendererPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '' || decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const base = resolve(root);
  const full = resolve(base, `.${relative.startsWith('/') ? relative : `/${relative}`}`);
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  return full;
}

export async function readRendererFile(root: string, urlPath: string): Promise<FileAnswer> {
  const full = resolveRendererPath(root, urlPath);
  if (!full) return { status: 404, contentType: TYPES['.txt']!, body: 'Not found.' };
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new Error('not a file');
    return {
      status: 200,
      contentType: TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
      body: await readFile(full),
    };
  } catch {
    if (full === join(resolve(root), 'index.html')) {
      return { status: 503, contentType: TYPES['.html']!, body: UI_NOT_BUILT_PAGE };
    }
    return { status: 404, contentType: TYPES['.txt']!, body: 'Not found.' };
  }
}
