// Pushes the debootstrapped Debian bookworm base (made once, cached in .sandbox/cache) to the sandbox registry and
// prints its reference: the demo builds the invoice app on it.
import { pushDebianBase } from '../../test/sandbox/debian-base.ts';

const host = process.argv[2];
if (!host) throw new Error('usage: debian-base.ts REGISTRY_HOST');
process.stdout.write(`${await pushDebianBase(host, 'demo/debian', 'bookworm')}\n`);
