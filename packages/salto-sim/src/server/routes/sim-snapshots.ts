import { restoreWorldSnapshot } from '../../world/snapshot-schema.js';
import type { SimFailure } from '../../world/types.js';
import type { Route } from '../http.js';
import { type ErrorReply, failure, success, validationTree } from '../reply.js';
import type { Json } from '../seam-views.js';
import type { SimState } from '../sim-state.js';
import { failureReply } from './seam-common.js';
import { clockJson, siteJson } from './sim-common.js';

/** Snapshots can be much larger than ordinary requests. */
export const RESTORE_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** `/_sim/snapshot`, `/_sim/restore` and `/_sim/reset`. */
export function simSnapshotRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
    {
      path: '/_sim/snapshot',
      methods: ['GET', 'POST'],
      handle: () => success({ snapshot: world().toJSON() }),
    },
    {
      path: '/_sim/restore',
      methods: ['POST'],
      maxBodyBytes: RESTORE_MAX_BODY_BYTES,
      handle: (ctx) => {
        // The whole snapshot is checked and the new world built and run before it replaces the
        // current one: a refused snapshot changes nothing.
        const snap = ctx.params['snapshot'] ?? ctx.params;
        const r = restoreWorldSnapshot(snap, state.restoreOptions());
        if (!r.ok) return snapshotRefused(r.error);
        state.replaceWorld(r.value);
        return success(worldJson(state, 'snapshot'));
      },
    },
    {
      path: '/_sim/reset',
      methods: ['POST'],
      handle: () => {
        const r = state.restoreWorld(state.initialSnapshot());
        if (!r.ok) return failureReply(r.error);
        state.replaceWorld(r.value);
        state.webviews.clear();
        return success(worldJson(state, 'startup'));
      },
    },
  ];
}

/** 400 `invalid_input` for a refused snapshot, each bad field under `snapshot.` in `validation_errors`. */
function snapshotRefused(f: SimFailure): ErrorReply | { kind: 'drop' } {
  const problems = (f.data?.['problems'] ?? null) as { path: string[]; message: string }[] | null;
  if (f.type !== 'invalid_input' || problems === null) return failureReply(f);
  return failure(400, 'invalid_input', f.message, {
    validation_errors: validationTree(
      problems.map((p) => ({ path: ['snapshot', ...p.path], message: p.message })),
    ),
  });
}

/** What `/_sim/reset` and `/_sim/restore` answer: the world now in place (its sites with slot usage), and its clock. */
function worldJson(state: SimState, from: 'startup' | 'snapshot'): Json {
  const sites = state.world.listSites();
  const devices = state.world.listDevices();
  return {
    world: {
      restored_from: from,
      sites: sites.ok ? sites.value.map(siteJson) : [],
      device_count: devices.ok ? devices.value.length : 0,
      access_code_count: state.world.inspectAccessCodes().length,
    },
    clock: clockJson(state),
  };
}
