import type { Route } from '../http.js';
import type { SimState } from '../sim-state.js';
import { simControlRoutes } from './sim-controls.js';
import { simRuntimeRoutes } from './sim-runtime.js';
import { simSnapshotRoutes } from './sim-snapshots.js';
import { simTopologyRoutes } from './sim-topology.js';

/**
 * Simulator-only controls under `/_sim/*` (same bearer key): hub links, slot limits, modes,
 * battery, capabilities (`sim-controls.ts`); clock, faults, rate limits (`sim-runtime.ts`);
 * building the world and Connect Webview completion (`sim-topology.ts`); snapshot/restore and
 * reset (`sim-snapshots.ts`). Not part of Seam's API; loaded on the first `/_sim/` call.
 */
export function simRoutes(state: SimState): Route[] {
  return [
    ...simControlRoutes(state),
    ...simRuntimeRoutes(state),
    ...simTopologyRoutes(state),
    ...simSnapshotRoutes(state),
  ];
}
