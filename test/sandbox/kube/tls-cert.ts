// A self-signed certificate for the API emulator. kubectl (client-go) sends a bearer token only over TLS
// (kubernetes/kubectl#744), so a server that requires a token, as a real one does, has to speak HTTPS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CertPair {
  cert: string;
  key: string;
}

/** Creates (once per folder) a P-256 certificate for 127.0.0.1 and localhost, valid ten years. */
export function selfSignedCert(dir: string): CertPair {
  mkdirSync(dir, { recursive: true });
  const certPath = join(dir, 'apiserver.crt');
  const keyPath = join(dir, 'apiserver.key');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', certPath, '-days', '3650', '-subj', '/CN=sandbox-apiserver',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  }
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
