import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SimEvent } from '../world/types.js';
import type { SaltoKsWorld } from '../world/world.js';
import { createRequestListener, type HttpOptions, type Route } from './http.js';
import { resolveLimits, type SimLimits } from './limits.js';
import { seamRoutes } from './routes/seam.js';
import { type BackgroundErrorHandler, SimState } from './sim-state.js';
import type { DeliveryOptions } from './webhooks.js';

export interface SimServerOptions {
  /** The world to serve (e.g. `createDefaultWorld({ clock: new SystemClock() }).world`). */
  readonly world: SaltoKsWorld;
  /** Bearer key the server accepts. */
  readonly apiKey: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Largest request body (default 1 MiB; `/_sim/restore` allows 64 MiB). */
  readonly maxBodyBytes?: number;
  /** Webhook delivery tuning (retry delays, fetch); its caps and timeout come from `limits`. */
  readonly webhooks?: DeliveryOptions;
  /** Resource limits (see `SimLimits` for each default); reported by `GET /_sim/limits`. */
  readonly limits?: Partial<SimLimits>;
  readonly onInternalError?: HttpOptions['onInternalError'];
  /** Failures outside any request (the world's timer, webhook dispatch); default: logged to stderr. */
  readonly onBackgroundError?: BackgroundErrorHandler;
  readonly onResponse?: HttpOptions['onResponse'];
  /** Every event of the served world as it happens (across restore/reset), e.g. for a log. */
  readonly onWorldEvent?: (event: SimEvent, world: SaltoKsWorld) => void;
}

export interface SimServer {
  /** `http://host:port`, what to give Seam clients as their endpoint. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** The current world (restore and reset replace it). */
  readonly world: SaltoKsWorld;
  readonly server: Server;
  /** Stops accepting connections, ends idle ones, cancels webhook retries. Resolves when closed. */
  close(): Promise<void>;
}

/**
 * Starts the Seam-compatible simulator server on plain `node:http`. Resolves once listening;
 * rejects if the port cannot be bound (e.g. `EADDRINUSE`).
 */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const resolved = resolveLimits(options.limits);
  if (!resolved.ok) throw new RangeError(resolved.message);
  const limits = resolved.value;
  const state = new SimState(
    options.world,
    {
      timeoutMs: limits.deliveryTimeoutMs,
      maxConcurrent: limits.maxConcurrentDeliveries,
      maxQueued: limits.maxQueuedDeliveries,
      ...options.webhooks,
    },
    options.onBackgroundError,
    limits,
  );
  const routes = [
    ...seamRoutes(state),
    // The browser console (console/routes.ts) and the Connect Webview login page load on first use.
    {
      path: '/',
      methods: ['GET'],
      auth: false,
      handle: async () => (await import('./console/routes.js')).consolePage(),
    } satisfies Route,
  ];
  if (options.onWorldEvent) {
    const onWorldEvent = options.onWorldEvent;
    state.watch({ event: (e) => onWorldEvent(e, state.world), changed: () => {}, closed: () => {} });
  }
  const server = createServer(
    {
      keepAliveTimeout: limits.idleTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often node enforces the two timeouts above (its default, 30 s, let idle sockets pile up).
      connectionsCheckingInterval: 1_000,
    },
    createRequestListener(routes, {
      apiKey: options.apiKey,
      ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
      ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
      // Every answer may have changed the world: the console's live stream re-checks its view.
      onResponse: (info) => {
        options.onResponse?.(info);
        state.changed();
      },
      // The simulator controls (and zod, which they validate with) load on the first /_sim/ call.
      lazyRoutes: [
        {
          prefix: '/_sim/console',
          load: async () => (await import('./console/routes.js')).consoleRoutes(state),
        },
        {
          prefix: '/_sim/connect_webviews/view',
          load: async () => (await import('./console/webview-page.js')).webviewPageRoutes(state),
        },
        { prefix: '/_sim/', load: async () => (await import('./routes/sim.js')).simRoutes(state) },
      ],
    }),
  );
  const connections = capConnections(server, limits.maxConnections, limits.headersTimeoutMs);
  state.connectionCount = () => connections.size;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port ?? 0, host);
  });
  state.scheduleTick();
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    get world() {
      return state.world;
    },
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        state.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running get a moment to finish, then their sockets are cut.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      return closing;
    },
  };
}

/**
 * Keeps at most `max` connections open. A connection beyond the cap closes the oldest one that
 * has not sent a request yet (idle sockets opened and left alone); if every open connection has
 * been used, the new one is closed instead. A connection that sends nothing at all is closed after
 * `silentMs` (node's headers timeout only starts with the first byte of a request); used keep-alive
 * sockets are closed by node after the idle timeout.
 */
function capConnections(server: Server, max: number, silentMs: number): ReadonlySet<Socket> {
  const open = new Set<Socket>();
  const used = new WeakSet<Socket>();
  server.on('request', (req) => {
    if (used.has(req.socket)) return;
    used.add(req.socket);
    // From now on node's own timeouts apply (a latency fault may hold a reply for minutes).
    req.socket.setTimeout(0);
  });
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // On timeout node's http server destroys the socket (no 'timeout' listener on the server).
    socket.setTimeout(silentMs);
    if (open.size <= max) return;
    for (const s of open) {
      if (s !== socket && !used.has(s)) {
        s.destroy();
        open.delete(s);
        return;
      }
    }
    socket.destroy();
    open.delete(socket);
  });
  return open;
}
