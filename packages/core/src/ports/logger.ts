export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Structured logging. Implementations must pass fields through `redact` (see
 * `infrastructure/logging.ts`) so API keys and PINs never reach a log.
 */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export const LOGGER = Symbol.for('keyslot.Logger');
