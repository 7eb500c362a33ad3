import { maskDigitRuns, redactText } from '@keyslot/core';

/**
 * Text from Seam (error messages, non-JSON bodies) made safe to show and log: Seam credentials,
 * bearer tokens and the configured key are masked, and standalone runs of 4–12 digits (any of
 * which could be a PIN) become `[digits]`. Also bounded in length.
 */
export function scrubProviderText(text: string, apiKey?: string, max = 300): string {
  let out = text;
  if (apiKey && apiKey.length > 0) out = out.split(apiKey).join('[redacted]');
  out = maskDigitRuns(redactText(out));
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
