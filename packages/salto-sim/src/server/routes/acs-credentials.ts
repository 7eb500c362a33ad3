import type { Route } from '../http.js';
import type { SimState } from '../sim-state.js';
import { credentialJson, done, many, ms, one } from './acs-common.js';
import { READ, WRITE, withParams } from './seam-common.js';

/** Seam's `/acs/credentials/*`: Salto-generated PINs (a given `code` is refused) and multi-phone mobile keys. */
export function acsCredentialRoutes(state: SimState): Route[] {
  const acs = () => state.world.acs;
  const view = (c: Parameters<typeof credentialJson>[1]) => credentialJson(state, c);
  return [
    {
      path: '/acs/credentials/create',
      methods: WRITE,
      handle: withParams('acsCredentialsCreate', (p) =>
        one(
          state,
          'acs_credential',
          acs().createCredential({
            accessMethod: p.access_method,
            ...(p.acs_user_id !== undefined ? { acsUserId: p.acs_user_id } : {}),
            ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
            ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
            ...(p.code !== undefined ? { code: p.code } : {}),
            ...(p.is_multi_phone_sync_credential !== undefined
              ? { isMultiPhoneSyncCredential: p.is_multi_phone_sync_credential }
              : {}),
            ...(p.starts_at !== undefined ? { startsAt: ms(p.starts_at)! } : {}),
            ...(p.ends_at !== undefined ? { endsAt: ms(p.ends_at)! } : {}),
          }),
          view,
          true,
        ),
      ),
    },
    {
      path: '/acs/credentials/get',
      methods: READ,
      handle: withParams('acsCredentialsById', (p) =>
        one(state, 'acs_credential', acs().getCredential(p.acs_credential_id), view),
      ),
    },
    {
      path: '/acs/credentials/list',
      methods: READ,
      handle: withParams('acsCredentialsList', (p, ctx) =>
        many(
          acs().listCredentials({
            ...(p.acs_user_id !== undefined ? { acsUserId: p.acs_user_id } : {}),
            ...(p.acs_system_id !== undefined ? { acsSystemId: p.acs_system_id } : {}),
            ...(p.user_identity_id !== undefined ? { userIdentityId: p.user_identity_id } : {}),
          }),
          'acs_credentials',
          view,
          (c) => c.acsCredentialId,
          { params: p, ctx },
        ),
      ),
    },
    {
      path: '/acs/credentials/delete',
      methods: ['POST', 'DELETE'],
      handle: withParams('acsCredentialsById', (p) =>
        done(state, acs().deleteCredential(p.acs_credential_id)),
      ),
    },
  ];
}
