/** A scheduled state change of the world, processed in (`at`, `seq`) order. Plain JSON. */
export type Transition =
  | { readonly at: number; readonly seq: number; readonly kind: 'assign_pin'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'load'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'program'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'activate'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'expire'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'remove'; readonly codeId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'unlock_done'; readonly attemptId: string }
  | { readonly at: number; readonly seq: number; readonly kind: 'relock'; readonly deviceId: string };

export type TransitionKind = Transition['kind'];

const before = (a: Transition, b: Transition): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * Binary min-heap of transitions ordered by time, ties by sequence number. The backing array
 * is exposed for snapshots; restoring it as-is gives the same pop order.
 */
export class TransitionQueue {
  constructor(private readonly items: Transition[] = []) {}

  get size(): number {
    return this.items.length;
  }

  peek(): Transition | undefined {
    return this.items[0];
  }

  push(t: Transition): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): Transition | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  toJSON(): Transition[] {
    return this.items.map((t) => ({ ...t }));
  }
}
