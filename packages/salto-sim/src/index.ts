/**
 * @keyslot/salto-sim — a deterministic Salto KS (behind Seam) simulator.
 * - `SaltoKsWorld`: the simulated world (sites, hubs, locks, codes, events) with its control surface.
 * - `createDefaultWorld`: the seeded default world.
 */
export * from './world/index.js';
