import type { LogFields, Logger, LogLevel } from '../ports/logger.js';

const SECRET_KEY = /(api[_-]?key|authorization|token|secret|password)/i;
/** Keys that hold a PIN when their value is digits (`code` is also used for error codes, kept). */
const PIN_KEY = /^(pin|code|passcode|pins)$/i;
const isPinLike = (v: unknown): boolean =>
  (typeof v === 'string' && /^\d+$/.test(v)) ||
  typeof v === 'number' ||
  (Array.isArray(v) && v.some(isPinLike));
/** Seam credentials (`seam_…`), bearer headers and Svix secrets. */
const SECRET_VALUE = /\b(seam_[A-Za-z0-9_]{4,}|whsec_[A-Za-z0-9+/=]{4,}|Bearer\s+\S+)/g;
export const REDACTED = '[redacted]';

/** Masks secret-looking values inside free text. */
export function redactText(text: string): string {
  return text.replace(SECRET_VALUE, REDACTED);
}

/**
 * A standalone run of 4–12 digits (any of which could be a PIN): not part of a longer number and
 * not a decimal's integer or fractional part (`3.14159`), but a PIN ending a sentence
 * (`Your code is 482913.`) or after punctuation is one.
 */
const DIGIT_RUN = /(?<!\d|\d\.)\d{4,12}(?!\d|\.\d)/g;
export const MASKED_DIGITS = '[digits]';

/** Masks every standalone 4–12 digit run in free text (see {@link DIGIT_RUN}) as `[digits]`. */
export function maskDigitRuns(text: string): string {
  return text.replace(DIGIT_RUN, MASKED_DIGITS);
}

/**
 * A deep copy of `value` with every secret removed: values under secret-looking keys
 * (api keys, tokens), digit values under PIN-like keys (`pin`, `code`), and credential-shaped
 * strings anywhere.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const secret =
        (SECRET_KEY.test(k) && v !== null && v !== undefined) || (PIN_KEY.test(k) && isPinLike(v));
      out[k] = secret ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Base logger: redacts, filters by level, hands entries to a sink. */
export class RedactingLogger implements Logger {
  constructor(
    private readonly sink: (entry: LogEntry) => void,
    private readonly minLevel: LogLevel = 'info',
  ) {}

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    // Messages are free text: secrets and anything that could be a PIN are masked. Fields keep
    // their numbers (PINs under PIN keys are masked by `redact`).
    this.sink({
      level,
      message: maskDigitRuns(redactText(message)),
      fields: redact(fields) as Record<string, unknown>,
    });
  }
}

/** JSON lines on stderr. */
export function createConsoleLogger(minLevel: LogLevel = 'info'): Logger {
  return new RedactingLogger((e) => {
    process.stderr.write(`${JSON.stringify({ level: e.level, msg: e.message, ...e.fields })}\n`);
  }, minLevel);
}

/** Keeps entries in memory (tests, diagnostics). */
export class MemoryLogger extends RedactingLogger {
  readonly entries: LogEntry[] = [];
  constructor(minLevel: LogLevel = 'debug') {
    super((e) => this.entries.push(e), minLevel);
  }
}

/** Drops everything. */
export const silentLogger: Logger = { log: () => {} };
