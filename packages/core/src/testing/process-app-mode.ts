/**
 * The exactly-once runner's real-crash mode (`ScenarioOptions.processApp`): the app is a child
 * process behind a `ScenarioAppHost` (`process-app.ts`), SIGKILLed between two steps (`crash`) or
 * at the kill point of a `crash_during`, and started again on the same database. Provider calls
 * happen in the child, so the runner observes the provider after every step, not every call.
 */
import type { AppContext, AppOp, KillPoint, ScenarioAppHost } from './process-app.js';
import type { AppCallResult, AppCounters, ScenarioApp } from './scenario-app.js';

export interface ProcessModeOptions {
  readonly host: ScenarioAppHost;
  /** What the app is told with every call (the provider's time, the site's slot limit). */
  readonly context: () => AppContext;
  readonly counters: AppCounters;
}

/** A `ScenarioApp` over an app process: a kill there is a crash, not an outcome. */
export function processScenarioApp(o: ProcessModeOptions): ScenarioApp {
  const call = async (op: AppOp, kill?: KillPoint): Promise<AppCallResult> => {
    const r = await o.host.run(op, o.context(), kill);
    if (!('killed' in r)) return { outcome: r.outcome };
    o.counters.kills++;
    await o.host.start();
    return { crashed: true };
  };
  return {
    run: (op) => call(op),
    runAndCrash: (op, kill) => call(op, kill),
    async crash() {
      await o.host.kill();
      o.counters.kills++;
      await o.host.start();
    },
    grants: () => o.host.grants(),
    // The host waits for a dead process's requests itself (`afterDeath`) before starting the next.
    settle: async () => undefined,
  };
}
