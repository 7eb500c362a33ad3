import type { HubLink } from '@keyslot/core';
import { z } from 'zod/v4';
import { deviceNotFound } from '../../world/failures.js';
import type { Route } from '../http.js';
import type { SimState } from '../sim-state.js';
import { bool, num, uuid } from '../validation.js';
import { failureReply } from './seam-common.js';
import { deviceJsonOf, done, handler, hubLink, siteJson } from './sim-common.js';

/** `/_sim/*` controls of the world's topology: hub links, slot limits, custom PINs, modes, battery, capabilities. */
export function simControlRoutes(state: SimState): Route[] {
  const world = () => state.world;
  return [
    {
      path: '/_sim/hub_link',
      methods: ['POST'],
      handle: handler(
        z
          .object({ device_id: uuid().optional(), hub_id: uuid().optional(), hub_link: hubLink })
          .refine((p) => (p.device_id === undefined) !== (p.hub_id === undefined), {
            message: 'Give exactly one of device_id or hub_id',
            path: ['device_id'],
          }),
        (p) =>
          p.device_id !== undefined
            ? done(state, world().setHubLink(p.device_id, p.hub_link as HubLink), (d) => ({
                device: deviceJsonOf(state, d),
              }))
            : done(state, world().setHubLinkForHub(p.hub_id as string, p.hub_link as HubLink), (ds) => ({
                devices: ds.map((d) => deviceJsonOf(state, d)),
              })),
      ),
    },
    {
      path: '/_sim/slot_limit',
      methods: ['POST'],
      handle: handler(z.object({ site_id: uuid(), slot_limit: num().pipe(z.number().int().min(0)) }), (p) =>
        done(state, world().setSlotLimit(p.site_id, p.slot_limit), (s) => ({ site: siteJson(s) })),
      ),
    },
    {
      path: '/_sim/custom_pin_subscription',
      methods: ['POST'],
      handle: handler(z.object({ site_id: uuid(), enabled: bool() }), (p) =>
        done(state, world().setCustomPinSubscription(p.site_id, p.enabled), (s) => ({ site: siteJson(s) })),
      ),
    },
    {
      path: '/_sim/modes',
      methods: ['POST'],
      handle: handler(
        z
          .object({ device_id: uuid(), privacy_mode: bool().optional(), office_mode: bool().optional() })
          .refine((p) => p.privacy_mode !== undefined || p.office_mode !== undefined, {
            message: 'Give privacy_mode and/or office_mode',
            path: ['privacy_mode'],
          }),
        (p) => {
          if (world().inspectDevice(p.device_id) === null) return failureReply(deviceNotFound(p.device_id));
          if (p.privacy_mode !== undefined) world().setPrivacyMode(p.device_id, p.privacy_mode);
          const r =
            p.office_mode !== undefined
              ? world().setOfficeMode(p.device_id, p.office_mode)
              : world().getDevice(p.device_id);
          return done(state, r, (d) => ({ device: deviceJsonOf(state, d) }));
        },
      ),
    },
    {
      path: '/_sim/battery',
      methods: ['POST'],
      handle: handler(
        z.object({ device_id: uuid(), battery_level: num().pipe(z.number().min(0).max(1)) }),
        (p) =>
          done(state, world().setBatteryLevel(p.device_id, p.battery_level), (d) => ({
            device: deviceJsonOf(state, d),
          })),
      ),
    },
    {
      path: '/_sim/capabilities',
      methods: ['POST'],
      handle: handler(
        z.object({ device_id: uuid(), remote_unlock: bool().optional(), access_codes: bool().optional() }),
        (p) =>
          done(
            state,
            world().setCapabilities(p.device_id, {
              ...(p.remote_unlock !== undefined ? { remoteUnlock: p.remote_unlock } : {}),
              ...(p.access_codes !== undefined ? { accessCodes: p.access_codes } : {}),
            }),
            (d) => ({ device: deviceJsonOf(state, d) }),
          ),
      ),
    },
  ];
}
