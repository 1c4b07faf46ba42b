import { resolve, sep } from 'node:path';

/**
 * Names that come from a charger (a URL path, an FTP STOR argument, a multipart filename) become one path component:
 * the last segment only, after decoding, with anything outside a conservative set replaced. No name can climb out of
 * its folder, and Windows-reserved characters never reach the file system. Pure; never throws.
 */
export function safeFileName(raw: string): string | undefined {
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // Keep the raw text: a malformed escape is just characters.
  }
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/[^A-Za-z0-9._ ()+,@=-]/g, '_').trim();
  // No hidden files, no "." or "..", no trailing dots or spaces (Windows drops them and names collide).
  name = name.replace(/^\.+/, '').replace(/[. ]+$/, '');
  if (name === '') return undefined;
  return name.length > 180 ? name.slice(0, 180) : name;
}

/** A folder name for a charger identity (which may hold any character). */
export function identityFolder(identity: string | undefined): string {
  return safeFileName(identity ?? '') ?? 'unknown-charger';
}

/** `full` when it lies inside `root` (after resolving), else undefined: the last guard before any file access. */
export function inside(root: string, full: string): string | undefined {
  const r = resolve(root);
  const f = resolve(full);
  return f.startsWith(r + sep) ? f : undefined;
}
