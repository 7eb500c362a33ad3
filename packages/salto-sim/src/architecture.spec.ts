import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core/domain';
import { describe, expect, it } from 'vitest';

/**
 * The simulator's rooms (docs/salto-sim-rooms.md), checked on the shipped sources (tests may
 * cross rooms): the world speaks Salto's domain and knows nothing of the server, Seam's words for
 * its facts live in seam/, and one module, the slot ledger, writes slot counts.
 */
const src = import.meta.dirname;

function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return shippedSources(p);
    const test = /\.(spec|test-helpers|example)\.ts$/.test(e.name);
    return e.name.endsWith('.ts') && !test ? [p] : [];
  });
}

const files = shippedSources(src);
const rel = (f: string): string => relative(src, f);
const text = (f: string): string => readFileSync(f, 'utf8');

const importSpecifiers = (source: string): string[] =>
  [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

/**
 * Writes to a slot count: `x.used = …`, `x.used++`, `--x.used`, `x.used += …`, and the same for
 * whether a code holds a slot, whether an ACS user is subscribed (and its limit refusal) and the
 * site's limit flags. Reads (`x.used >= …`, `=== `) are not writes.
 */
const SLOT_WRITE =
  /(?:\.(?:used|holdsSlot|isSubscribed|limitRefusedAt|limitReachedSince|almostReachedSince)\s*(?:\+\+|--|[+-]?=(?!=)))|(?:(?:\+\+|--)\s*[\w.]+\.used\b)/g;

const slotWrites = (f: string): string[] =>
  text(f)
    .split('\n')
    .flatMap((line, i) => (line.match(SLOT_WRITE) ? [`${rel(f)}:${i + 1}: ${line.trim()}`] : []));

describe('salto-sim rooms', () => {
  it('finds the sources it checks', () => {
    expect(files.map(rel)).toEqual(
      expect.arrayContaining(['world/world.ts', 'world/ledger.ts', 'server/http.ts']),
    );
  });

  it('nothing under world/ imports from server/ (the world speaks Salto, the server speaks HTTP and Seam)', () => {
    const offending = files
      .filter((f) => rel(f).startsWith('world/'))
      .flatMap((f) =>
        importSpecifiers(text(f))
          .filter((spec) => /(^|\/)server(\/|$)/.test(spec) || spec.startsWith('node:http'))
          .map((spec) => `${rel(f)} → ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it("seam/ (Seam's codes and texts for the world's facts) imports nothing from server/ or gateway/, so the world reaches neither through it", () => {
    const seam = files.filter((f) => rel(f).startsWith('seam/'));
    expect(seam.map(rel)).toContain('seam/issues.ts');
    const offending = seam.flatMap((f) =>
      importSpecifiers(text(f))
        .filter((spec) => /(^|\/)(server|gateway)(\/|$)/.test(spec) || spec.startsWith('node:'))
        .map((spec) => `${rel(f)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('no file under world/ writes a Seam error or warning code: the world keeps Salto facts, seam/ words them', () => {
    // Every code seam/issues.ts words a fact with, and core's names of the not-subscribed error.
    const vocabulary = files.find((f) => rel(f) === 'seam/issues.ts')!;
    const codes = new Set([
      ...[...text(vocabulary).matchAll(/\b(?:code|type|CODE)\b[^'\n]*'([a-z_]+)'/g)].map((m) => m[1] ?? ''),
      ...NOT_SUBSCRIBED_PROVIDER_CODES,
    ]);
    // The check sees the codes: the device, account, code and attempt ones are all found.
    for (const c of [
      'hub_disconnected',
      'salto_ks_subscription_limit_exceeded',
      'delay_in_setting_on_device',
    ])
      expect(codes).toContain(c);
    expect(codes).toContain('uncategorized_error');
    const written = files
      .filter((f) => rel(f).startsWith('world/'))
      .flatMap((f) =>
        [...text(f).matchAll(/['"]([a-z_]+)['"]/g)]
          .filter((m) => codes.has(m[1] ?? ''))
          .map((m) => `${rel(f)}: '${m[1]}'`),
      );
    expect(written).toEqual([]);
  });

  it('only the slot ledger writes slot counts (site used, code holds-slot, the limit flags)', () => {
    const ledger = files.find((f) => rel(f) === 'world/ledger.ts')!;
    // The check can see a write: the ledger's own writes are found.
    expect(slotWrites(ledger).length).toBeGreaterThanOrEqual(6);
    const elsewhere = files.filter((f) => f !== ledger).flatMap(slotWrites);
    expect(elsewhere).toEqual([]);
  });

  it('no shipped source file is over 500 lines', () => {
    const long = files.map((f) => [rel(f), text(f).split('\n').length] as const).filter(([, n]) => n > 500);
    expect(long).toEqual([]);
  });
});
