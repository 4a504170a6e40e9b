// Is an image pull failure the image's fault (will fail the same way forever) or the network's (may pass on the
// next try)? Read from the text the kubelet copies out of the container runtime, which differs between Docker,
// containerd and CRI-O and between registries, so these are substrings seen in real messages, not a grammar.

export type PullErrorKind = 'permanent' | 'transient';

/** Waiting reasons that name the failure themselves, whatever the message says. */
const PERMANENT_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull', 'SignatureValidationFailed']);
const TRANSIENT_REASONS = new Set(['RegistryUnavailable']);

// "manifest for x:y not found: manifest unknown", "failed to resolve reference ...: not found",
// "pull access denied for x, repository does not exist or may require 'docker login'",
// "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized", "403 Forbidden",
// "invalid reference format", "name unknown: Repository not found".
const PERMANENT = [
  /\bnot found\b/i,
  /code = NotFound/,
  /manifest unknown/i,
  /name unknown/i,
  /unauthorized/i,
  /\bdenied\b/i,
  /\bforbidden\b/i,
  /\b40[13]\b/,
  /invalid reference format/i,
  /InvalidImageName/,
  /repository does not exist/i,
  /no matching manifest for/i,
];

// "429 Too Many Requests", "toomanyrequests: You have reached your pull rate limit", "i/o timeout",
// "Client.Timeout exceeded while awaiting headers", "connection reset by peer", "502 Bad Gateway", "TLS handshake
// timeout", "unexpected EOF". Anything not recognised is treated as transient too: the budget bounds it.
const TRANSIENT = [
  /\b429\b/,
  /too ?many ?requests/i,
  /timeout|timed out|deadline exceeded/i,
  /connection (reset|refused)/i,
  /\b5\d\d\b/,
  /service unavailable|bad gateway/i,
  /unexpected EOF/i,
  /no such host|temporary failure in name resolution/i,
];

export function classifyPullError(reason: string | undefined, message: string | undefined): PullErrorKind {
  if (reason && PERMANENT_REASONS.has(reason)) return 'permanent';
  if (reason && TRANSIENT_REASONS.has(reason)) return 'transient';
  const text = message ?? '';
  // A rate limit or timeout on the way to an answer says nothing about the image; check those first so
  // "429 ... not found in cache" style texts do not read as a missing image.
  if (TRANSIENT.some((re) => re.test(text))) return 'transient';
  if (PERMANENT.some((re) => re.test(text))) return 'permanent';
  return 'transient';
}

/**
 * The cause inside an ImagePullBackOff message. Kubelets since 1.32 append the previous pull error
 * (`Back-off pulling image "x": ErrImagePull: <cause>`); older ones write only `Back-off pulling image "x"`.
 */
export function backOffCause(message: string | undefined): string | undefined {
  const m = /^Back-off pulling image "[^"]*"(?::\s*(.*))?$/s.exec(message ?? '');
  return m ? m[1] || undefined : message || undefined;
}

/** The cause inside a kubelet `Failed` event: `Failed to pull image "x": <cause>`. */
export function pullEventCause(message: string): string | undefined {
  return /^Failed to pull image "[^"]*": (.*)$/s.exec(message)?.[1];
}
