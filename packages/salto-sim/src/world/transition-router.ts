import type { AcsWorld } from './acs/acs-world.js';
import type { Door } from './door.js';
import type { QueuedTransition } from './heap.js';
import type { Lifecycle } from './lifecycle.js';
import type { TransitionHandler } from './runtime.js';

/** Routes each due transition to the room that owns its kind (set up by `SaltoKsWorld`). */
export class TransitionRouter implements TransitionHandler {
  door!: Door;
  lifecycle!: Lifecycle;
  acs!: AcsWorld;

  handle(tr: QueuedTransition): void {
    if (tr.kind === 'unlock_done') this.door.finishAttempt(tr.target);
    else if (tr.kind === 'relock') this.door.relock(tr.target);
    else if (tr.kind === 'acs_subscribe' || tr.kind === 'acs_unsubscribe' || tr.kind === 'acs_issue')
      this.acs.handle(tr);
    else this.lifecycle.handle(tr);
  }
}
