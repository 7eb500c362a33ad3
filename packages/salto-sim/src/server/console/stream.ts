import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimEvent } from '../../world/types.js';
import { failure, type Reply } from '../reply.js';
import type { SimState } from '../sim-state.js';
import { consoleJson } from './view.js';

/**
 * The console's live feed: Server-Sent Events (`text/event-stream`) carrying
 * - `state`: the whole {@link consoleView}, sent on connect and after every change (at most once
 *   per {@link MIN_FLUSH_INTERVAL_MS}, and only when it differs from the last one sent);
 * - `events`: the world's events since the last message (the world records, newest last); on
 *   connect, the newest {@link BACKLOG_EVENTS} of the log.
 *
 * A change is any answered request or any world event (the server calls `state.changed()`); on
 * a real clock, time passing changes the world too, so the view is also checked every
 * {@link HEARTBEAT_MS} (which doubles as the keep-alive). Nothing is built while no one watches.
 *
 * Bounded: at most {@link MAX_STREAMS} streams at once (the next gets 503), at most
 * {@link MAX_PENDING_EVENTS} events per message, and a client that stops reading is cut once
 * {@link MAX_BUFFERED_BYTES} are waiting. Streams end when the server stops.
 */
export const MAX_STREAMS = 16;
export const MAX_PENDING_EVENTS = 500;
export const BACKLOG_EVENTS = 100;
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
export const MIN_FLUSH_INTERVAL_MS = 100;
export const HEARTBEAT_MS = 5_000;

interface Client {
  readonly res: ServerResponse;
}

export class ConsoleStreams {
  private readonly clients = new Set<Client>();
  private pending: SimEvent[] = [];
  private dropped = 0;
  private lastState = '';
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private unwatch: (() => void) | null = null;
  private closed = false;

  constructor(private readonly state: SimState) {}

  get size(): number {
    return this.clients.size;
  }

  /** The reply to `GET /_sim/console/stream` (already authorized by the route). */
  open(): Reply {
    if (this.closed) return failure(503, 'service_unavailable', 'The simulator is stopping.');
    if (this.clients.size >= MAX_STREAMS) {
      return failure(
        503,
        'too_many_console_streams',
        `${MAX_STREAMS} console streams are already open; close a console tab and reload this one.`,
        { headers: { 'retry-after': '5' } },
      );
    }
    return { kind: 'stream', open: (req, res) => this.attach(req, res) };
  }

  private attach(_req: IncomingMessage, res: ServerResponse): void {
    const client: Client = { res };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    // The response closes when the browser goes away (the request's own 'close' comes as soon
    // as its empty body is read, so it cannot tell).
    const drop = () => this.detach(client);
    res.on('close', drop);
    res.on('error', drop);
    this.clients.add(client);
    this.startWatching();
    // A new client gets the whole picture: the current view and the newest events.
    const view = consoleJson(this.state);
    if (this.clients.size === 1) this.lastState = view;
    this.write(client, `retry: 1000\nevent: state\ndata: ${view}\n\n`);
    const backlog = this.state.world.inspectEvents(BACKLOG_EVENTS);
    if (backlog.length) this.write(client, `event: events\ndata: ${JSON.stringify(backlog)}\n\n`);
  }

  private detach(client: Client): void {
    if (!this.clients.delete(client)) return;
    if (!client.res.writableEnded) client.res.end();
    if (this.clients.size === 0) this.stopWatching();
  }

  private startWatching(): void {
    if (this.unwatch) return;
    this.unwatch = this.state.watch({
      event: (e) => {
        if (this.pending.length >= MAX_PENDING_EVENTS) {
          this.pending.shift();
          this.dropped++;
        }
        this.pending.push(e);
        this.schedule();
      },
      changed: () => this.schedule(),
      closed: () => this.close(),
    });
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) this.write(c, ': keep-alive\n\n');
      this.schedule();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopWatching(): void {
    this.unwatch?.();
    this.unwatch = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.dropped = 0;
  }

  private schedule(): void {
    if (this.timer || this.closed || this.clients.size === 0) return;
    const wait = Math.max(0, this.lastFlush + MIN_FLUSH_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = null;
    this.lastFlush = Date.now();
    let message = '';
    if (this.pending.length) {
      if (this.dropped) message += `event: dropped\ndata: ${this.dropped}\n\n`;
      message += `event: events\ndata: ${JSON.stringify(this.pending)}\n\n`;
      this.pending = [];
      this.dropped = 0;
    }
    const view = consoleJson(this.state);
    if (view !== this.lastState) {
      this.lastState = view;
      message += `event: state\ndata: ${view}\n\n`;
    }
    if (message === '') return;
    for (const c of this.clients) this.write(c, message);
  }

  private write(client: Client, chunk: string): void {
    if (client.res.writableEnded) return;
    client.res.write(chunk);
    if (client.res.writableLength > MAX_BUFFERED_BYTES) {
      // The client stopped reading: cut it rather than hold the world's history for it.
      client.res.destroy();
      this.detach(client);
    }
  }

  /** Ends every stream (the server is stopping). */
  close(): void {
    this.closed = true;
    for (const c of [...this.clients]) this.detach(c);
    this.stopWatching();
  }
}
