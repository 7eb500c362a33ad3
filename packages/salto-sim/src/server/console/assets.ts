import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawReply } from '../reply.js';

/**
 * The console's static files (HTML, plain ES-module JavaScript, CSS) live in the package's
 * `console/` folder, next to `src/` and `dist/`, so the same relative path finds them from the
 * TypeScript sources (tests) and from the built package, with no copy step. They are read once,
 * when the console is first opened.
 */
export const ASSETS_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Headers every console page carries: nothing from elsewhere, no framing by other sites. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** Every file of the console folder by its path relative to it (`app.js`, `panels/sites.js`). */
export function loadAssets(dir = ASSETS_DIR): Map<string, RawReply> {
  const out = new Map<string, RawReply>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const type = TYPES[extname(entry.name)];
        if (type === undefined) continue;
        out.set(relative(dir, full).split('\\').join('/'), {
          kind: 'raw',
          status: 200,
          headers: { ...PAGE_HEADERS, 'content-type': type },
          body: readFileSync(full),
        });
      }
    }
  };
  walk(dir);
  return out;
}
