/** Types of the console's JavaScript (checked by `tsc -p console/tsconfig.json`). */
import type { ConsoleView, SimEvent } from './view.js';

export type {
  ConsoleCode as AccessCodeRecord,
  ConsoleLock,
  ConsoleSite,
  ConsoleView,
  SimEvent,
} from './view.js';

export interface CallResult {
  readonly ok: boolean;
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: route bodies are read freely by the panels.
  readonly body: any;
}

/** What a panel can do: call a route with the API key (errors are shown for it), show a message. */
export interface Api {
  /** GET without a body, POST JSON with one. */
  call(path: string, body?: Record<string, unknown>): Promise<CallResult>;
  notify(message: string | null): void;
  readonly view: ConsoleView | null;
}

/** A section of the page; see app.js. */
export interface Panel {
  readonly root: HTMLElement;
  readonly column: 'main' | 'side';
  update(view: ConsoleView): void;
  events?(events: readonly SimEvent[]): void;
}
