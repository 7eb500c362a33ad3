/** What the crash tests' app process is started with (in the environment variable below, as JSON). */
import type { AccessPolicy } from '@keyslot/core';

export interface CrashAppConfig {
  readonly endpoint: string;
  readonly apiKey: string;
  readonly siteId: string;
  readonly slotLimit: number;
  /** Provider time when the process starts. */
  readonly now: number;
  readonly policy: AccessPolicy;
  readonly store: { readonly dataDir: string } | { readonly connectionString: string };
  /** `access_grants`: the app reaches the site as a Salto KS ACS (`SeamAccessGrantGateway`). */
  readonly path?: 'lock_codes' | 'access_grants';
}

export const CRASH_APP_ENV = 'KEYSLOT_CRASH_APP';
