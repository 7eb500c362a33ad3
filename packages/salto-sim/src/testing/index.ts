/**
 * @keyslot/salto-sim/testing — fast-check helpers for testing against the simulator (needs the
 * optional peer dependency `fast-check`).
 * - The simulator's model: `setupModel`, the commands and `modelCommandArbs`, `checkInvariants`,
 *   `runModel` and the ready `modelProperty`.
 * - `providerView` / `acsProviderView`: a world's site as core's exactly-once fault runner checks it,
 *   on the lock integration / on the ACS path.
 */
export * from './model.js';
export * from './provider-view.js';
