/**
 * What the console's stream carries (`event: state` → ConsoleView, `event: events` → SimEvent[]):
 * the fields the page reads. The server's `consoleView()` (src/server/console/view.ts) is typed
 * to return this, so the page and the server cannot drift apart. Instants are epoch ms.
 */

export interface Issue {
  readonly code: string;
  readonly message: string;
}

export interface ConsoleCode {
  readonly accessCodeId: string;
  readonly name: string | null;
  /** The PIN: shown masked until clicked. */
  readonly code: string | null;
  readonly type: 'ongoing' | 'time_bound';
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  readonly status: string;
  readonly isWaitingForCodeAssignment: boolean;
  readonly isScheduledOnDevice: boolean;
  readonly holdsSlot: boolean;
  readonly loaded: boolean;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

export interface ConsoleLock {
  readonly deviceId: string;
  readonly name: string;
  readonly lockType: string;
  readonly deviceType: 'salto_lock' | 'unknown';
  readonly hubLink: 'good' | 'weak' | 'offline';
  readonly online: boolean;
  readonly privacyMode: boolean;
  readonly officeMode: boolean;
  readonly batteryLevel: number;
  readonly locked: boolean;
  readonly capabilities: { readonly remoteUnlock: boolean; readonly accessCodes: boolean };
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** Live codes, at most 200 (the oldest). */
  readonly codes: readonly ConsoleCode[];
  /** Live codes left out of `codes`. */
  readonly moreCodes: number;
}

export interface ConsoleSite {
  readonly siteId: string;
  readonly siteName: string;
  readonly slotLimit: number;
  readonly used: number;
  readonly almostReached: boolean;
  readonly limitReached: boolean;
  readonly hasCustomPinSubscription: boolean;
  readonly timeZone: string;
  readonly slotLeadTimeMs: number;
  readonly pinLength: number;
  /** Time-bound codes not loaded yet whose load instant (`startsAt − slotLeadTimeMs`) is within the next lead time. */
  readonly planned: readonly { readonly accessCodeId: string; readonly loadsAt: number }[];
  readonly hubs: readonly {
    readonly hubId: string;
    readonly name: string;
    readonly locks: readonly ConsoleLock[];
  }[];
}

export interface ConsoleView {
  /** Bumped by restore/reset: event sequence numbers start again. */
  readonly generation: number;
  readonly clock: {
    readonly kind: 'virtual' | 'real';
    readonly now: number;
    readonly nextTransitionAt: number | null;
    readonly pendingTransitions: number;
  };
  readonly rateLimits: boolean;
  /** The operations a fault can target. */
  readonly faultOperations: readonly string[];
  readonly faults: readonly {
    readonly faultId: number;
    readonly spec: { readonly kind: string };
    readonly remaining: number;
    readonly operations: readonly string[] | null;
  }[];
  readonly accounts: readonly {
    readonly connectedAccountId: string;
    readonly displayName: string;
    readonly errors: readonly Issue[];
  }[];
  readonly sites: readonly ConsoleSite[];
  /** Newest last, at most 30. */
  readonly attempts: readonly {
    readonly actionAttemptId: string;
    readonly actionType: string;
    readonly deviceId: string;
    readonly lockName: string | null;
    readonly status: string;
    readonly createdAt: number;
    readonly error: { readonly type: string; readonly message: string } | null;
  }[];
  /** At most 30, oldest first. */
  readonly webviews: readonly {
    readonly connectWebviewId: string;
    readonly status: string;
    readonly connectedAccountId: string | null;
  }[];
}

export interface SimEvent {
  readonly sequence: number;
  readonly eventType: string;
  readonly occurredAt: number;
  readonly deviceId?: string;
  readonly accessCodeId?: string;
  /** May carry a PIN (`code`): the feed leaves it out. */
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}
