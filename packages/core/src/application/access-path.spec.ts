import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../infrastructure/clock.js';
import { InMemoryGrantStore } from '../infrastructure/in-memory-grant-store.js';
import { MemoryLogger } from '../infrastructure/logging.js';
import type { AccessGrantGateway } from '../ports/access-grant-gateway.js';
import type { LockGateway } from '../ports/lock-gateway.js';
import { AccessGrantPath } from './access-grant-path.js';
import { accessPathFor } from './access-path.js';
import type { AnyPortDeps } from './deps.js';
import { LockCodePath } from './lock-code-path.js';

const common = { store: new InMemoryGrantStore(), clock: new VirtualClock(0), logger: new MemoryLogger() };

describe('accessPathFor', () => {
  it('takes the ACS path when `accessGrants` is given', () => {
    const deps = { ...common, accessGrants: {} as AccessGrantGateway };
    expect(accessPathFor(deps)).toBeInstanceOf(AccessGrantPath);
  });

  it('takes the lock path for a `gateway`, also when `accessGrants` is there but undefined', () => {
    expect(accessPathFor({ ...common, gateway: {} as LockGateway })).toBeInstanceOf(LockCodePath);
    const withUndefined = { ...common, gateway: {} as LockGateway, accessGrants: undefined } as AnyPortDeps;
    expect(accessPathFor(withUndefined)).toBeInstanceOf(LockCodePath);
  });
});
