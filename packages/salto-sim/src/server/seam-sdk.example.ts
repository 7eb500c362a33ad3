/**
 * Seam's official JavaScript client (`@seamapi/http`) against the simulator: the README example,
 * run as is by `seam-sdk.int.spec.ts`. Start the simulator (`pnpm start`), then:
 *
 *   const summary = await seamSdkExample('http://127.0.0.1:8080', 'seam_keyslot_sim_local_key');
 */
import {
  isSeamActionAttemptFailedError,
  isSeamHttpApiError,
  isSeamHttpInvalidInputError,
  SeamHttp,
} from '@seamapi/http';

/** The names the "user not subscribed" error has had in Seam's history (the simulator emits the first by default). */
const NOT_SUBSCRIBED = [
  'salto_site_user_not_subscribed',
  'salto_ks_user_not_subscribed',
  'access_code_inactive',
];

export async function seamSdkExample(
  endpoint: string,
  apiKey: string,
  log: (line: string) => void = console.log,
) {
  const seam = SeamHttp.fromApiKey(apiKey, { endpoint });

  // 1. The Salto KS locks (Seam device type `salto_lock`; `unknown` means a weak IQ hub link).
  const locks = await seam.locks.list({ manufacturer: 'salto' });
  for (const lock of locks)
    log(`${lock.display_name}: ${lock.device_type}, online=${lock.properties.online}`);
  const byName = (name: string) => {
    const lock = locks.find((l) => l.display_name === name);
    if (!lock) throw new Error(`No lock named ${name}`);
    return lock;
  };
  const office = byName('OFFICE ENTRANCE');

  // 2. Create a code. Never send `code`: Salto generates the PIN, and it is null until assigned.
  const created = await seam.accessCodes.create({ device_id: office.device_id, name: 'keyslot:guest-1 Ana' });
  log(
    `created ${created.access_code_id}: code=${created.code}, waiting=${created.is_waiting_for_code_assignment}`,
  );
  let pin: string | null = null;
  for (let attempt = 0; attempt < 100 && pin === null; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    pin = (await seam.accessCodes.get({ access_code_id: created.access_code_id })).code;
  }
  log(`Salto assigned a ${pin?.length}-digit PIN`);

  // 3. Fill the site (Harbour Office has 3 user slots): a code over the limit carries the error.
  let refused: { access_code_id: string; error_code: string } | null = null;
  for (let i = 2; i <= 4 && refused === null; i++) {
    const code = await seam.accessCodes.create({ device_id: office.device_id, name: `keyslot:guest-${i}` });
    const error = code.errors.find((e) => NOT_SUBSCRIBED.includes(e.error_code));
    if (error) refused = { access_code_id: code.access_code_id, error_code: error.error_code };
  }
  log(`slot limit reached: ${refused?.error_code}`);
  // A refused code holds no slot but should not linger: delete it.
  if (refused) await seam.accessCodes.delete({ access_code_id: refused.access_code_id });

  // 4. Unlock the door: the SDK polls the pending action attempt until it succeeds.
  const unlocked = await seam.locks.unlockDoor(
    { device_id: office.device_id },
    { waitForActionAttempt: { pollingInterval: 250, timeout: 20_000 } },
  );
  log(`unlock: ${unlocked.status}`);

  // 5. Typed errors.
  const errors: string[] = [];
  try {
    await seam.accessCodes.create({ device_id: byName('FRONT DOOR').device_id, code: '123456' });
  } catch (e) {
    if (isSeamHttpInvalidInputError(e)) errors.push(`${e.code}: ${e.message}`);
    else throw e;
  }
  try {
    await seam.locks.unlockDoor({ device_id: byName('APARTMENT 2').device_id });
  } catch (e) {
    if (isSeamHttpApiError(e)) errors.push(`${e.code} (HTTP ${e.statusCode}, request ${e.requestId})`);
    else throw e;
  }
  try {
    await seam.locks.unlockDoor(
      { device_id: byName('ROOFTOP').device_id },
      { waitForActionAttempt: { pollingInterval: 250, timeout: 60_000 } },
    );
  } catch (e) {
    if (isSeamActionAttemptFailedError(e)) errors.push(`unlock failed: ${e.code}`);
    else throw e;
  }
  for (const line of errors) log(line);

  return { lockCount: locks.length, pin, refused, unlockStatus: unlocked.status, errors };
}
