// The invoice example built the way `rollgate build` builds it, with each builder: its rollgate.yml (repositories
// moved to the sandbox registry, BASE_IMAGE the debootstrapped Debian base), version v1.2.3. apt-get in the
// builds downloads Django from Debian's mirror the first time; the engine's cache and buildah's storage under
// .sandbox/cache keep later runs short.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { build } from '../../src/commands/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import type { BuiltImage } from '../../src/image/build-images.ts';
import type { Builder } from '../../src/image/builder.ts';
import { createBuilder } from '../../src/image/builder-select.ts';
import { silentLogger } from '../../src/log.ts';
import { headManifest, imageLabels } from '../image/registry-probe.ts';
import { CACHE_DIR, pushDebianBase } from '../sandbox/debian-base.ts';

const run = promisify(execFile);
const EXAMPLE = resolve(import.meta.dirname, '../../examples/invoice');
const SHA = '9c1185a5c5e9fc54612808977ee8f548b2258d31';
// A fixed build time: the same sources give the same image config, run after run.
const SOURCE_DATE_EPOCH = '1700000000';

const dockerEnv = () => ({ ...process.env, DOCKER_HOST: inject('dockerHost'), SOURCE_DATE_EPOCH });
const docker = (args: string[], input?: string) => {
  const child = run('docker', args, { env: dockerEnv(), maxBuffer: 16 << 20, timeout: 120_000 });
  if (input !== undefined) child.child.stdin!.end(input);
  return child;
};

/** The example's rollgate.yml with its repositories under `<host>/invoice-<kind>/` and the given base image. */
function localConfig(kind: string, host: string, baseImage: string): Config {
  const doc = parseDocument(readFileSync(join(EXAMPLE, 'rollgate.yml'), 'utf8'));
  for (const name of ['web', 'migrate']) {
    const repository = String(doc.getIn(['images', name, 'repository']));
    doc.setIn(['images', name, 'repository'], repository.replace('us-docker.pkg.dev/acme/apps/', `${host}/invoice-${kind}/`));
    doc.setIn(['images', name, 'buildArgs', 'BASE_IMAGE'], baseImage);
    // The copy lives elsewhere; the context stays the example's.
    doc.setIn(['images', name, 'context'], EXAMPLE);
    doc.setIn(['images', name, 'dockerfile'], join(EXAMPLE, 'Dockerfile'));
  }
  const dir = join(inject('sandboxDir'), `invoice-${kind}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rollgate.yml'), doc.toString());
  return loadConfig({ configPath: join(dir, 'rollgate.yml'), env: [], environment: {}, version: 'v1.2.3', overrides: { builder: kind as 'docker' | 'buildah' } });
}

// Runs inside the web container: the smoke scenario of rollgate.yml against gunicorn on the container's loopback.
const SMOKE = `
import http.cookiejar, json, time, urllib.error, urllib.request
base = 'http://127.0.0.1:8000'
for _ in range(150):
    try:
        health = urllib.request.urlopen(base + '/healthz').read().decode()
        break
    except (urllib.error.URLError, ConnectionError):
        time.sleep(0.2)
else:
    raise SystemExit('gunicorn did not answer /healthz within 30 s')
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
def call(path, data=None, content_type=None):
    request = urllib.request.Request(base + path, data=data, headers={'content-type': content_type} if content_type else {})
    try:
        response = opener.open(request)
    except urllib.error.HTTPError as err:
        response = err
    return response.status, response.read().decode()
login, _ = call('/accounts/login/', b'username=smoke&password=pw-for-the-test', 'application/x-www-form-urlencoded')
invoice = {'customer': 'Smoke Test Ltd', 'lines': [{'description': 'smoke test', 'quantity': 2, 'unitPrice': '50.00'}]}
created, body = call('/api/invoices/', json.dumps(invoice).encode(), 'application/json')
read, again = call('/api/invoices/%d/' % json.loads(body)['id'])
print(json.dumps({'health': health, 'login': login, 'created': created, 'read': read, 'invoice': json.loads(again)}))
`;

interface BuilderCase {
  kind: 'docker' | 'buildah';
  /** Undefined: build() makes the docker builder from the config, as `rollgate build` does. */
  builder: () => Promise<Builder | undefined>;
}

const cases: BuilderCase[] = [
  { kind: 'docker', builder: async () => undefined },
  {
    kind: 'buildah',
    // Its own storage, kept between runs like the engine's cache (vfs: no mounts left behind).
    builder: () =>
      createBuilder('buildah', {
        logger: silentLogger,
        env: dockerEnv(),
        registries: {},
        buildah: { root: join(CACHE_DIR, 'buildah-invoice/root'), runroot: join(CACHE_DIR, 'buildah-invoice/run'), storageDriver: 'vfs' },
      }),
  },
];

describe('the invoice example', () => {
  const host = inject('registryHost');
  let baseImage = '';
  // Pulled or built into the engine, which outlives the run (and the registry's port changes every run).
  const inEngine: string[] = [];

  beforeAll(async () => {
    // Minutes when the cached debootstrap tarball is missing; seconds otherwise.
    baseImage = await pushDebianBase(host, 'sandbox/debian', 'bookworm');
    inEngine.push(baseImage);
  }, 20 * 60_000);

  afterAll(async () => {
    await docker(['image', 'rm', '--force', ...inEngine]).catch(() => undefined);
  });

  describe.each(cases)('built with $kind', ({ kind, builder }) => {
    let config: Config;
    let built: BuiltImage[] = [];
    const pinned = (name: string) => {
      const image = built.find((b) => b.name === name)!;
      return `${image.repository}@${image.digest}`;
    };

    beforeAll(async () => {
      config = localConfig(kind, host, baseImage);
      built = await build({
        config,
        version: 'v1.2.3',
        sha: SHA,
        logger: silentLogger,
        env: dockerEnv(),
        source: 'https://git.example/acme/invoice',
        builder: await builder(),
      });
      inEngine.push(...built.map((b) => `${b.repository}@${b.digest}`));
      if (kind === 'docker') inEngine.push(...built.flatMap((b) => b.tags.map((t) => `${b.repository}:${t}`)));
    }, 20 * 60_000);

    it('pushes v1.2.3 and v1.2 of web and migrate, every tag on the digest rollgate reports', async () => {
      expect(config.images.map((i) => [i.name, i.repository, i.target, i.network])).toEqual([
        ['web', `${host}/invoice-${kind}/invoice`, 'runtime', 'host'],
        ['migrate', `${host}/invoice-${kind}/invoice-migrate`, 'migrate', 'host'],
      ]);
      expect(built.map((b) => [b.name, b.repository, b.tags])).toEqual(config.images.map((i) => [i.name, i.repository, ['v1.2.3', 'v1.2']]));
      for (const b of built) {
        for (const tag of b.tags) {
          expect((await headManifest(host, b.repository.slice(host.length + 1), tag)).digest, `${b.name}:${tag}`).toBe(b.digest);
        }
        expect(await imageLabels(host, b.repository.slice(host.length + 1), 'v1.2.3')).toMatchObject({
          'org.opencontainers.image.version': 'v1.2.3',
          'org.opencontainers.image.revision': SHA,
        });
      }
      // Two targets of one Dockerfile: the migrate image is the web image with another command.
      expect(built[0]!.digest).not.toBe(built[1]!.digest);
    });

    it('runs: migrate prepares the database and the smoke user, the web image serves the smoke scenario as a non-root user', async () => {
      const volume = `invoice-${kind}-${process.pid}`;
      const env = ['-e', 'DJANGO_SECRET_KEY=not-a-secret', '-e', 'TAX_RATE=0.21', '-e', 'DJANGO_ALLOWED_HOSTS=*'];
      await docker(['volume', 'create', volume]);
      let web = '';
      try {
        const migrate = await docker(['run', '--rm', '--network', 'none', '-v', `${volume}:/var/lib/invoice`, ...env,
          '-e', 'SMOKE_USER=smoke', '-e', 'SMOKE_PASSWORD=pw-for-the-test', pinned('migrate')]);
        expect(migrate.stdout).toContain('Applying invoices.0001_initial... OK');
        expect(migrate.stdout).toContain('smoke test user smoke created');

        web = (await docker(['run', '--detach', '--network', 'none', '-v', `${volume}:/var/lib/invoice`, ...env, pinned('web')])).stdout.trim();
        const result = JSON.parse((await docker(['exec', '-i', web, 'python3', '-'], SMOKE)).stdout) as Record<string, unknown>;
        expect(result).toMatchObject({
          health: 'ok\n',
          login: 302,
          created: 201,
          read: 200,
          invoice: { customer: 'Smoke Test Ltd', net: '100.00', taxRate: '0.21', tax: '21.00', gross: '121.00' },
        });
        expect((await docker(['exec', web, 'id', '-u'])).stdout.trim()).toBe('10001');
      } finally {
        if (web) await docker(['rm', '--force', web]).catch(() => undefined);
        await docker(['volume', 'rm', '--force', volume]).catch(() => undefined);
      }
    }, 120_000);
  });
});
