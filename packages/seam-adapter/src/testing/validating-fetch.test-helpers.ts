/**
 * `SeamSchemaCheck`: a `fetch` wrapper for the adapter's tests that validates every request the
 * adapter sends against its route's request schema in Seam's NEWEST OpenAPI, and every 2xx reply
 * against the route's 200 schema. Findings name the route, the direction and the JSON path, never
 * a value. `useSeamSchemaCheck()` fails the test after it (vitest `afterEach`) on any finding.
 *
 *   const schemas = useSeamSchemaCheck();                       // once per spec file
 *   new SeamLockGateway({ apiKey, endpoint, fetch: schemas.fetch }, deps);   // or makeGateway()
 *   schemas.expectInvalidReply('/devices/list');               // only where a test sends a bad reply on purpose
 *
 * The deliberate differences are the rows of `SEAM_SCHEMA_DEVIATIONS` (one row each, counted,
 * mirrored in packages/salto-sim/README.md "Where we deviate from the newest Seam schemas").
 */
import { NOT_SUBSCRIBED_PROVIDER_CODES } from '@keyslot/core';
import { afterEach } from 'vitest';
import type { FetchLike } from '../config.js';
import { type Direction, issuesOf, routeValidator, type SchemaIssue } from './seam-openapi.test-helpers.js';

export interface SchemaViolation {
  readonly method: string;
  readonly route: string;
  readonly direction: Direction;
  readonly status?: number;
  readonly issues: readonly SchemaIssue[];
}

/**
 * A deliberate difference from the newest schema: `rewrite` turns the body we send or accept into
 * what the newest schema says (returning how many places it changed), and the result must then
 * validate. Nothing else is ever exempt.
 */
export interface SchemaDeviation {
  readonly id: string;
  readonly direction: Direction;
  readonly why: string;
  rewrite(route: string, body: unknown): number;
}

const records = (body: unknown, one: string, many: string): Record<string, unknown>[] => {
  if (typeof body !== 'object' || body === null) return [];
  const o = body as Record<string, unknown>;
  const list = [o[one], ...(Array.isArray(o[many]) ? o[many] : [])];
  return list.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
};

/** Older names of the not-subscribed error; the newest schema knows only `access_code_inactive`. */
const OLDER_NOT_SUBSCRIBED: ReadonlySet<string> = new Set(
  NOT_SUBSCRIBED_PROVIDER_CODES.filter((c) => c !== 'access_code_inactive'),
);

/** The rows of packages/salto-sim/README.md "Where we deviate from the newest Seam schemas". */
export const SEAM_SCHEMA_DEVIATIONS: readonly SchemaDeviation[] = [
  {
    id: 'unknown-device-type',
    direction: 'reply',
    why: "Seam's Salto guide: a Salto KS lock with a weak IQ link shows as device_type unknown",
    rewrite(_route, body) {
      let n = 0;
      for (const d of [...records(body, 'device', 'devices'), ...records(body, 'lock', 'locks')]) {
        const props = d['properties'] as Record<string, unknown> | undefined;
        // Only a Salto KS lock (it keeps its Salto metadata) may say "unknown".
        if (d['device_type'] !== 'unknown' || typeof props?.['salto_ks_metadata'] !== 'object') continue;
        d['device_type'] = 'salto_lock';
        n++;
      }
      return n;
    },
  },
  {
    id: 'not-subscribed-error-name',
    direction: 'reply',
    why: 'the Salto guides name the slot-limit error salto_site_user_not_subscribed (1.724: salto_ks_user_not_subscribed)',
    rewrite(_route, body) {
      let n = 0;
      for (const c of records(body, 'access_code', 'access_codes')) {
        for (const e of Array.isArray(c['errors']) ? (c['errors'] as Record<string, unknown>[]) : []) {
          if (!OLDER_NOT_SUBSCRIBED.has(String(e['error_code']))) continue;
          e['error_code'] = 'access_code_inactive';
          n++;
        }
      }
      return n;
    },
  },
];

export const formatViolation = (v: SchemaViolation): string =>
  `${v.method} ${v.route} ${v.direction}${v.status === undefined ? '' : ` (HTTP ${v.status})`}: ` +
  v.issues
    .slice(0, 8)
    .map((i) => `${i.path || '(root)'} ${i.message}`)
    .join('; ');

const routeOf = (input: string): string => new URL(input).pathname;

export class SeamSchemaCheck {
  /** The wrapped fetch: give it to the adapter (`fetch` option). */
  readonly fetch: FetchLike;
  /** `"POST /devices/list"` → how many requests and 2xx replies were validated. */
  readonly validated = new Map<string, { requests: number; replies: number }>();
  /** Deviation id → how often it was applied. */
  readonly deviationsApplied = new Map<string, number>();
  private violations: SchemaViolation[] = [];
  /**
   * Bodies seen, validated only when findings are asked for: compiling and running the schemas
   * (the device schema alone takes about a second to compile) never runs inside the adapter's
   * timed calls, so deadlines in the tests behave as without the check.
   */
  private captured: { base: Omit<SchemaViolation, 'issues'>; text: string | undefined }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private expectedInvalid: string[] = [];

  constructor(
    inner: FetchLike = (input, init) => globalThis.fetch(input, init),
    private readonly deviations: readonly SchemaDeviation[] = SEAM_SCHEMA_DEVIATIONS,
  ) {
    this.fetch = async (input, init) => {
      const method = (init.method ?? 'GET').toUpperCase();
      const route = routeOf(input);
      this.checkRequest(method, route, init);
      const res = await inner(input, init);
      if (res.status >= 200 && res.status < 300) {
        // Read a copy beside the adapter, so its own read and deadline behave as without us.
        const done = res
          .clone()
          .text()
          .then(
            (text) => this.checkReply(method, route, res.status, text),
            () => undefined, // the body never arrived whole: the adapter did not accept it either
          )
          .finally(() => this.pending.delete(done));
        this.pending.add(done);
      }
      return res;
    };
  }

  /** The next 2xx reply on `route` is malformed on purpose: expect a finding there, and only there. */
  expectInvalidReply(route: string): void {
    this.expectedInvalid.push(route);
  }

  /** Findings so far (waits for replies still being read, then validates what was captured). */
  async findings(): Promise<readonly SchemaViolation[]> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    const captured = this.captured;
    this.captured = [];
    for (const { base, text } of captured) this.parseAndValidate(base, text);
    return this.violations;
  }

  /** Throws one error naming every finding and every expected finding that did not happen; then resets. */
  async assertClean(): Promise<void> {
    const found = [...(await this.findings())];
    const missing = this.expectedInvalid;
    this.violations = [];
    this.expectedInvalid = [];
    const lines = found.map(formatViolation);
    for (const route of missing) lines.push(`expected an invalid reply on ${route}, but none came`);
    if (lines.length > 0) {
      throw new Error(`Against Seam's newest OpenAPI (@seamapi/types 1.977.0):\n- ${lines.join('\n- ')}`);
    }
  }

  private count(method: string, route: string, direction: Direction): void {
    const key = `${method} ${route}`;
    const c = this.validated.get(key) ?? { requests: 0, replies: 0 };
    if (direction === 'request') c.requests++;
    else c.replies++;
    this.validated.set(key, c);
  }

  private record(v: SchemaViolation): void {
    if (v.direction === 'reply') {
      const i = this.expectedInvalid.indexOf(v.route);
      if (i >= 0) {
        this.expectedInvalid.splice(i, 1);
        return;
      }
    }
    this.violations.push(v);
  }

  private checkRequest(method: string, route: string, init: RequestInit): void {
    const base = { method, route, direction: 'request' as const };
    const contentType = new Headers(init.headers).get('content-type') ?? '';
    const json = typeof init.body === 'string' && /^application\/json\b/.test(contentType);
    this.captured.push({ base, text: json ? (init.body as string) : undefined });
  }

  private checkReply(method: string, route: string, status: number, text: string): void {
    this.captured.push({ base: { method, route, direction: 'reply', status }, text });
  }

  private parseAndValidate(base: Omit<SchemaViolation, 'issues'>, text: string | undefined): void {
    const notJson =
      base.direction === 'request'
        ? 'the body must be JSON text sent as application/json'
        : 'the body is not JSON';
    let body: unknown;
    try {
      if (text === undefined) throw new Error(notJson);
      body = JSON.parse(text);
    } catch {
      this.record({ ...base, issues: [{ path: '', message: notJson }] });
      return;
    }
    this.validate(base, body);
  }

  private validate(base: Omit<SchemaViolation, 'issues'>, body: unknown): void {
    const v = routeValidator(base.route, base.method, base.direction, base.status);
    if (!v.ok) {
      this.record({ ...base, issues: [{ path: '', message: v.reason }] });
      return;
    }
    for (const d of this.deviations) {
      if (d.direction !== base.direction) continue;
      const n = d.rewrite(base.route, body);
      if (n > 0) this.deviationsApplied.set(d.id, (this.deviationsApplied.get(d.id) ?? 0) + n);
    }
    this.count(base.method, base.route, base.direction);
    if (!v.validate(body)) this.record({ ...base, issues: issuesOf(v.validate.errors) });
  }
}

/** A `SeamSchemaCheck` whose findings fail the test they happen in (registers a vitest `afterEach`). */
export function useSeamSchemaCheck(inner?: FetchLike): SeamSchemaCheck {
  const check = new SeamSchemaCheck(inner);
  afterEach(() => check.assertClean());
  return check;
}
