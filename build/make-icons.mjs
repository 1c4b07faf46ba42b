// Draws the app icon (a signal trace on a dark rounded square) and writes it as PNGs in build/icons, at the sizes
// electron-builder picks from for Linux, Windows and macOS. PNG is encoded by hand with node's zlib: no image library.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (size*size*4) to a PNG file. */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function trace(x) {
  if (x > 0.28 && x < 0.42) return 0.62 - 0.34 * Math.sin(((x - 0.28) / 0.14) * Math.PI);
  if (x > 0.55 && x < 0.69) return 0.62 - 0.18 * Math.sin(((x - 0.55) / 0.14) * Math.PI);
  return 0.62;
}
const STEPS = 600;
const TRACE = Array.from({ length: STEPS + 1 }, (_, i) => trace(i / STEPS));

/** Distance from (u, v) to the sampled trace, looking only at nearby samples: an even line width on steep parts. */
function distanceToTrace(u, v) {
  if (v < 0.2 || v > 0.7) return Infinity;
  let best = Infinity;
  const from = Math.max(0, Math.floor((u - 0.04) * STEPS));
  const to = Math.min(STEPS, Math.ceil((u + 0.04) * STEPS));
  for (let i = from; i <= to; i++) {
    const dx = i / STEPS - u;
    const dy = TRACE[i] - v;
    const d = dx * dx + dy * dy;
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/** Coverage of one point (u, v in 0..1) by the design: 0 outside, else the colour. */
function shade(u, v) {
  // Rounded square background.
  const r = 0.2;
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r - 0.02), 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r - 0.02), 0);
  if (dx * dx + dy * dy > r * r) return undefined;
  // The trace: a flat line, one OCPP "call" pulse and its answer, like a scope screen.
  const inTrace = u > 0.14 && u < 0.86 && distanceToTrace(u, v) < 0.035;
  if (inTrace) return [0x4c, 0xd9, 0x8a, 255];
  const grid =
    (Math.abs(((u * 8) % 1) - 0.5) > 0.47 || Math.abs(((v * 8) % 1) - 0.5) > 0.47) &&
    u > 0.1 &&
    u < 0.9 &&
    v > 0.1 &&
    v < 0.9;
  return grid ? [0x2b, 0x3a, 0x4a, 255] : [0x17, 0x1f, 0x2a, 255];
}

/** Renders the icon at one size with 4x4 supersampling (2x2 for big sizes), so small sizes stay smooth. */
export function renderIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = size >= 256 ? 2 : 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!c) continue;
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round(a / (n * n));
    }
  }
  return encodePng(size, rgba);
}

export function writeIcons(dir) {
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(join(dir, `${size}x${size}.png`), renderIcon(size));
  // electron-builder's default for Windows and macOS: build/icon.png (at least 512x512; it converts).
  writeFileSync(join(dir, '..', 'icon.png'), renderIcon(1024));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeIcons(join(dirname(fileURLToPath(import.meta.url)), 'icons'));
  console.log('Icons written to build/icons and build/icon.png.');
}
