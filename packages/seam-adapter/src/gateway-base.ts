/**
 * What both Seam gateways (locks: `SeamLockGateway`; Access Grants: `SeamAccessGrantGateway`) are
 * built on: validated options, the injected clock and logger, and ONE kind of transport (bearer
 * auth, a deadline per call, read retries, request ids, redaction), all kept out of logs and dumps.
 */
import type { Clock, Logger, RandomSource } from '@keyslot/core';
import { SystemClock, silentLogger } from '@keyslot/core';
import {
  type ResolvedSeamAdapterOptions,
  resolveSeamAdapterOptions,
  type SeamAdapterOptions,
} from './config.js';
import { INSPECT, type Inspect, inspectAs } from './inspect.js';
import { SeamTransport } from './transport.js';

export interface SeamGatewayDeps {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Only for the jitter of read retries; none = no jitter (deterministic). */
  readonly random?: RandomSource;
}

/** The options without the key, the webhook secret and fetch: safe to show. */
export type SafeSeamAdapterOptions = Omit<ResolvedSeamAdapterOptions, 'apiKey' | 'webhookSecret' | 'fetch'>;

export abstract class SeamGatewayBase {
  readonly options: SafeSeamAdapterOptions;
  protected readonly opts: ResolvedSeamAdapterOptions;
  protected readonly transport: SeamTransport;
  protected readonly clock: Clock;
  protected readonly logger: Logger;

  /** Validates `options` (throws `SeamAdapterConfigError` naming every bad field). */
  constructor(
    private readonly kind: string,
    options: SeamAdapterOptions,
    deps: SeamGatewayDeps,
  ) {
    this.opts = resolveSeamAdapterOptions(options);
    const { apiKey: _k, webhookSecret: _w, fetch: _f, ...safe } = this.opts;
    this.options = safe;
    this.clock = deps.clock ?? new SystemClock();
    this.logger = deps.logger ?? silentLogger;
    this.transport = new SeamTransport(this.opts, this.clock, this.logger, deps.random);
  }

  /** Keeps the key out of `console.log(gateway)` / JSON dumps. */
  toJSON(): Record<string, unknown> {
    return { endpoint: this.opts.endpoint };
  }

  [INSPECT](_depth: number, options: object, inspect: Inspect): string {
    return inspectAs(this.kind, { endpoint: this.opts.endpoint, options: this.options }, options, inspect);
  }
}
