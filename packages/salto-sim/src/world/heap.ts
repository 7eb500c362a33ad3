/** A scheduled state change of the world, processed in (`at`, `seq`) order. Plain JSON (snapshots). */
export type Transition =
  | { readonly at: number; readonly seq: number; readonly kind: 'assign_pin'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'load'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'program'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'activate'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'expire'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'remove'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'unlock_done'; readonly attemptId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'relock'; readonly deviceId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'acs_subscribe'; readonly acsUserId: string }
  | {
      readonly at: number;
      readonly seq: number;
      readonly kind: 'acs_unsubscribe';
      readonly acsUserId: string;
    }
  | {
      readonly at: number;
      readonly seq: number;
      readonly kind: 'acs_issue';
      readonly acsCredentialId: string;
    };

export type TransitionKind = Transition['kind'];

/**
 * A transition as the queue holds it: one class for every kind, so the heap's comparisons and the
 * world's dispatch see a single object shape (the union above, built per kind with a spread, was
 * a fifth of a create+delete cycle). `target` is the code id, or the attempt id (`unlock_done`),
 * or the device id (`relock`); {@link toTransition} gives back the snapshot form.
 */
export class QueuedTransition {
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly kind: TransitionKind,
    readonly target: string,
  ) {}
}

/** The snapshot (plain JSON) form of a queued transition. */
export function toTransition(q: QueuedTransition): Transition {
  const { at, seq, kind, target } = q;
  if (kind === 'unlock_done') return { kind, attemptId: target, at, seq };
  if (kind === 'relock') return { kind, deviceId: target, at, seq };
  if (kind === 'acs_subscribe' || kind === 'acs_unsubscribe') return { kind, acsUserId: target, at, seq };
  if (kind === 'acs_issue') return { kind, acsCredentialId: target, at, seq };
  return { kind, codeId: target, at, seq };
}

/** The record a transition acts on. */
export function transitionTarget(t: Transition): string {
  switch (t.kind) {
    case 'unlock_done':
      return t.attemptId;
    case 'relock':
      return t.deviceId;
    case 'acs_subscribe':
    case 'acs_unsubscribe':
      return t.acsUserId;
    case 'acs_issue':
      return t.acsCredentialId;
    default:
      return t.codeId;
  }
}

function fromTransition(t: Transition): QueuedTransition {
  return new QueuedTransition(t.at, t.seq, t.kind, transitionTarget(t));
}

/**
 * At one instant, windows are half-open (`[startsAt, endsAt)`): a code whose window ends at T no
 * longer holds its slot at T, so its `expire` runs before anything else due at T (e.g. the `load`
 * of a code whose slot starts holding at T). Other ties: in scheduling order.
 */
const tieRank = (t: QueuedTransition): number =>
  t.kind === 'expire' || t.kind === 'acs_unsubscribe' ? 0 : 1;

const before = (a: QueuedTransition, b: QueuedTransition): boolean =>
  a.at < b.at || (a.at === b.at && (tieRank(a) - tieRank(b) || a.seq - b.seq) < 0);

/**
 * Binary min-heap of transitions ordered by time, ties `expire` first, then by sequence number. Snapshots keep the
 * backing array's order; restoring it as-is gives the same pop order.
 */
export class TransitionQueue {
  private readonly items: QueuedTransition[];

  constructor(items: readonly Transition[] = []) {
    this.items = items.map(fromTransition);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): QueuedTransition | undefined {
    return this.items[0];
  }

  push(t: QueuedTransition): void {
    const a = this.items;
    // Sift up by moving parents down into the hole, then drop `t` in (no swaps).
    let i = a.length;
    a.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p]!;
      if (!before(t, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = t;
  }

  pop(): QueuedTransition | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    const n = a.length;
    if (n > 0 && last !== undefined) {
      // Sift `last` down from the root by moving the smaller child up into the hole.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && before(a[r]!, a[l]!) ? r : l;
        const child = a[m]!;
        if (!before(child, last)) break;
        a[i] = child;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }

  toJSON(): Transition[] {
    return this.items.map(toTransition);
  }
}
