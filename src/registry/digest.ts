// Content digests (`sha256:<hex>`): computing them, and checking bytes against the digest they were asked by.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

export function isDigest(reference: string): boolean {
  const m = DIGEST.exec(reference);
  return m !== null && m[2]!.length === HEX_LENGTH[m[1]!];
}

function algorithmOf(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m || m[2]!.length !== HEX_LENGTH[m[1]!]) throw new Error(`not a digest: ${digest}`);
  return m[1]!;
}

/** The digest of `bytes` with the algorithm the digest `like` uses (sha256 unless told). */
export function digestOf(bytes: Uint8Array, like?: string): string {
  const algorithm = like?.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** A pass-through stream that fails at its end when the bytes through it do not have `digest`. */
export function verifyingStream(digest: string, what: string): Transform {
  const hash = createHash(algorithmOf(digest));
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`;
      done(actual === digest ? null : new Error(`${what}: content has digest ${actual}, expected ${digest}`));
    },
  });
}
