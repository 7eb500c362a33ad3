import { inspect } from 'node:util';
import { MemoryLogger, SystemClock, silentLogger, VirtualClock } from '@keyslot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeamAccessGrantGateway } from './acs-gateway.js';
import { resolveSeamAdapterOptions } from './config.js';
import { SeamLockGateway } from './gateway.js';
import { scrubProviderText } from './redaction.js';
import { SiteDirectory } from './site-directory.js';
import { SeamTransport } from './transport.js';
import { SeamWebhookVerifier } from './webhooks.js';

const KEY = 'seam_live_Zx81Qw55Lm20kk';
const SECRET_BYTES = Buffer.from('a webhook secret of 32 bytes!!!!');
const WHSEC = `whsec_${SECRET_BYTES.toString('base64')}`;

/** Every way the secret bytes could be printed: base64, hex (as a Buffer prints it, or packed), raw. */
const secretForms = [
  KEY,
  WHSEC,
  SECRET_BYTES.toString('base64'),
  SECRET_BYTES.toString('hex'),
  [...SECRET_BYTES.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
  SECRET_BYTES.toString('latin1'),
];
const dumps = (x: unknown): string[] => [
  inspect(x, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  inspect(x),
  JSON.stringify(x) ?? '',
  String(x),
];

describe('objects holding secrets print none of them', () => {
  it('gateway, transport, site directory and webhook verifier: util.inspect, console.log and JSON', () => {
    const opts = resolveSeamAdapterOptions({ apiKey: KEY, webhookSecret: WHSEC });
    const clock = new VirtualClock();
    const transport = new SeamTransport(opts, clock, silentLogger);
    const objects = {
      gateway: new SeamLockGateway({ apiKey: KEY, webhookSecret: WHSEC }),
      accessGrants: new SeamAccessGrantGateway({ apiKey: KEY, webhookSecret: WHSEC }),
      transport,
      sites: new SiteDirectory(transport, opts, clock),
      verifier: new SeamWebhookVerifier(WHSEC, { clock: new SystemClock() }),
    };
    for (const [name, object] of Object.entries(objects)) {
      for (const text of dumps(object)) {
        for (const secret of secretForms) expect(text.includes(secret), `${name}: ${text}`).toBe(false);
      }
    }
    // Still useful: the endpoint and the options shown.
    expect(inspect(objects.gateway)).toMatch(
      /^SeamLockGateway \{\s+endpoint: 'https:\/\/connect\.getseam\.com'/,
    );
    expect(inspect(objects.accessGrants)).toMatch(
      /^SeamAccessGrantGateway \{\s+endpoint: 'https:\/\/connect\.getseam\.com'/,
    );
  });
});

/** Text around the secrets: letters, spaces and punctuation, no digits. */
const filler = fc.stringMatching(/^[A-Za-z ,;:!?'"()[\]{}<>=#@&*+-]{0,16}$/);
const separator = fc.constantFrom(
  ' ',
  '. ',
  ', ',
  ': ',
  '"',
  "'",
  '\n',
  '\t',
  '(',
  ')',
  '! ',
  '? ',
  '=',
  '-',
  '/',
  '[',
  ']',
  '#',
  ';',
  '<',
  '>',
);
const pin = fc.stringMatching(/^\d{4,12}$/);
const seamKey = fc.stringMatching(/^seam_[A-Za-z0-9_]{4,24}$/);
const whsec = fc.stringMatching(/^[A-Za-z0-9+/]{8,32}$/).map((b) => `whsec_${b}`);
const bearer = fc.stringMatching(/^[A-Za-z0-9._~+/-]{6,30}$/).map((t) => `Bearer ${t}`);
type Part = { kind: 'text' | 'pin' | 'secret'; value: string };
const part = fc.oneof(
  filler.map((value): Part => ({ kind: 'text', value })),
  pin.map((value): Part => ({ kind: 'pin', value })),
  fc.oneof(seamKey, whsec, bearer).map((value): Part => ({ kind: 'secret', value })),
);
/** A text with PINs and credentials in any position: start, middle, end, ending a sentence. */
const textWithSecrets = fc
  .tuple(
    fc.array(fc.tuple(part, separator), { minLength: 1, maxLength: 12 }),
    fc.constantFrom('', '.', '!', '?', '."'),
  )
  .map(([parts, end]) => ({
    parts: parts.map(([p]) => p),
    text: parts.map(([p, sep], i) => (i === parts.length - 1 ? p.value : p.value + sep)).join('') + end,
  }));

function survivors(out: string, parts: readonly Part[]): string[] {
  return parts
    .filter((p) => p.kind !== 'text')
    .filter((p) =>
      p.kind === 'pin' ? new RegExp(`(?<!\\d)${p.value}(?!\\d)`).test(out) : out.includes(p.value),
    )
    .map((p) => p.value);
}

describe('PINs and keys never survive masking, wherever they are in the text', () => {
  it('examples: a PIN ending a sentence, after punctuation; decimals are kept', () => {
    expect(scrubProviderText('Your code is 482913.')).toBe('Your code is [digits].');
    expect(scrubProviderText('Code:482913, again 482913!')).toBe('Code:[digits], again [digits]!');
    expect(scrubProviderText('took 3.14159 s at 12.5%')).toBe('took 3.14159 s at 12.5%');
  });

  it('scrubProviderText (Seam error messages and bodies), with and without the configured key', () => {
    fc.assert(
      fc.property(
        textWithSecrets,
        fc.option(fc.stringMatching(/^[A-Za-z0-9_]{8,30}$/), { nil: undefined }),
        ({ parts, text }, key) => {
          const withKey = key === undefined ? text : `${text} ${key}${text}`;
          const out = scrubProviderText(withKey, key, 1_000_000);
          expect(survivors(out, parts)).toEqual([]);
          if (key !== undefined) expect(out.includes(key)).toBe(false);
        },
      ),
    );
  });

  it("core's redacting logger (every adapter log line goes through one)", () => {
    fc.assert(
      fc.property(textWithSecrets, ({ parts, text }) => {
        const log = new MemoryLogger();
        log.log('warn', text);
        expect(survivors(log.entries[0]?.message ?? '', parts)).toEqual([]);
      }),
    );
  });
});
