/**
 * @keyslot/salto-sim — a deterministic Salto KS (behind Seam) simulator.
 * - `SaltoKsWorld`: the simulated world (sites, hubs, locks, codes, events) with its control surface.
 * - `createDefaultWorld`: the seeded default world.
 * - `SaltoKsSimulator`: core's `LockGateway` in process over a world; `saltoSimModule` binds it with inversify.
 */
export * from './gateway/index.js';
export * from './module.js';
export * from './world/index.js';
