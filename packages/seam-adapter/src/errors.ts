/**
 * Thrown errors of the Seam adapter. Expected provider outcomes are returned as core's
 * `GatewayFailure`; these are only for what no caller can handle call by call: bad configuration
 * and a rejected API key. No message ever contains the API key or a PIN.
 */

/** The adapter's options are unusable (no API key, malformed endpoint, bad limits…). */
export class SeamAdapterConfigError extends Error {
  override readonly name = 'SeamAdapterConfigError';
  readonly code = 'seam_adapter_config' as const;
  /** Every bad option, `field: problem`. */
  readonly issues: readonly { readonly field: string; readonly message: string }[];

  constructor(issues: readonly { readonly field: string; readonly message: string }[]) {
    super(
      `Invalid Seam adapter configuration: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}. ` +
        'Fix these options (or the SEAM_API_KEY / SEAM_ENDPOINT environment variables) and construct the adapter again.',
    );
    this.issues = issues;
  }

  static is(x: unknown): x is SeamAdapterConfigError {
    return x instanceof Error && (x as { code?: unknown }).code === 'seam_adapter_config';
  }
}

/**
 * Seam answered 401: the API key is wrong, revoked or for another workspace. Every later call
 * would fail the same way, so this is thrown rather than returned as a per-call outcome.
 */
export class SeamAuthError extends Error {
  override readonly name = 'SeamAuthError';
  readonly code = 'seam_unauthorized' as const;
  readonly status = 401;

  constructor(
    readonly route: string,
    /** Seam's `error.type` (usually `unauthorized`), or null when the body was not JSON. */
    readonly errorType: string | null,
    /** Seam's `seam-request-id`, for support. */
    readonly requestId: string | undefined,
  ) {
    super(
      `Seam rejected the API key on ${route} (HTTP 401${errorType ? ` ${errorType}` : ''}` +
        `${requestId ? `, request ${requestId}` : ''}). ` +
        'Check that SEAM_API_KEY / the apiKey option is a current key of the right Seam workspace.',
    );
  }

  static is(x: unknown): x is SeamAuthError {
    return x instanceof Error && (x as { code?: unknown }).code === 'seam_unauthorized';
  }
}
