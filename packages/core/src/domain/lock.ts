import type { SiteId } from './site.js';

export type LockId = string;

/**
 * How well the lock's IQ hub reaches it and the cloud.
 * - `good`: everything works within seconds.
 * - `weak`: Seam shows the lock as device type `unknown`; operations are slow and flaky.
 * - `offline`: no remote unlock; new or changed codes do not reach the lock (existing ones keep working).
 */
export type HubLink = 'good' | 'weak' | 'offline';

export interface LockCapabilities {
  /** Remote unlock needs Salto's pass-through waiver on the IQ hub. */
  readonly remoteUnlock: boolean;
  /** Online access codes need a PIN pad. */
  readonly accessCodes: boolean;
}

export interface LockModes {
  /** Privacy mode: PINs and remote unlocks are refused. */
  readonly privacy: boolean;
  /** Office mode: the door is free; codes are not needed. */
  readonly office: boolean;
}

/** A Salto KS lock (Seam device `salto_lock`). */
export interface Lock {
  readonly id: LockId;
  readonly siteId: SiteId;
  readonly name: string;
  readonly hubLink: HubLink;
  readonly capabilities: LockCapabilities;
  readonly modes: LockModes;
}
