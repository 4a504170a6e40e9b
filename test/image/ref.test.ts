import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf } from '../../src/errors.ts';
import {
  familiar,
  formatImageRef,
  type ImageRef,
  InvalidReferenceError,
  isValidDigest,
  isValidTag,
  parseImageRef,
  parseRepository,
  repositoryOf,
  sameRepository,
} from '../../src/image/ref.ts';

const SHA256 = `sha256:${'f'.repeat(64)}`;
const SHA512 = `sha512:${'f'.repeat(128)}`;
const BUSYBOX_DIGEST = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';

// Cases from distribution/reference (reference_test.go, normalize_test.go), read the way Docker reads them
// (ParseNormalizedNamed), plus the shapes rollgate meets in practice.
describe('parseImageRef accepts what Docker accepts', () => {
  const cases: [input: string, expected: ImageRef][] = [
    // Docker Hub defaults
    ['nginx', { registry: 'docker.io', path: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', path: 'library/nginx', tag: '1.27' }],
    ['library/debian', { registry: 'docker.io', path: 'library/debian' }],
    ['docker/docker', { registry: 'docker.io', path: 'docker/docker' }],
    ['docker.io/debian', { registry: 'docker.io', path: 'library/debian' }],
    ['docker.io/library/debian', { registry: 'docker.io', path: 'library/debian' }],
    ['docker.io/library/foo/bar', { registry: 'docker.io', path: 'library/foo/bar' }],
    ['index.docker.io/debian', { registry: 'docker.io', path: 'library/debian' }],
    ['index.docker.io/docker/docker', { registry: 'docker.io', path: 'docker/docker' }],
    ['store/foo/bar', { registry: 'docker.io', path: 'store/foo/bar' }],
    ['dmcgowan/myapp:latest', { registry: 'docker.io', path: 'dmcgowan/myapp', tag: 'latest' }],
    ['redis@sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c',
      { registry: 'docker.io', path: 'library/redis', digest: 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c' }],
    // the first component is a registry only with "." or ":", as localhost, or with uppercase letters
    ['test_com', { registry: 'docker.io', path: 'library/test_com' }],
    ['test_com/foo', { registry: 'docker.io', path: 'test_com/foo' }],
    ['test.com:tag', { registry: 'docker.io', path: 'library/test.com', tag: 'tag' }],
    ['test.com:5000', { registry: 'docker.io', path: 'library/test.com', tag: '5000' }],
    ['localhost:5000', { registry: 'docker.io', path: 'library/localhost', tag: '5000' }],
    ['192.168.1.1', { registry: 'docker.io', path: 'library/192.168.1.1' }],
    ['192.168.1.1:5000', { registry: 'docker.io', path: 'library/192.168.1.1', tag: '5000' }],
    ['foo_bar.com:8080', { registry: 'docker.io', path: 'library/foo_bar.com', tag: '8080' }],
    ['foo/foo_bar.com:8080', { registry: 'docker.io', path: 'foo/foo_bar.com', tag: '8080' }],
    ['test.com/repo:tag', { registry: 'test.com', path: 'repo', tag: 'tag' }],
    ['test:5000/repo', { registry: 'test:5000', path: 'repo' }],
    ['test-com:8080/foo', { registry: 'test-com:8080', path: 'foo' }],
    ['localhost/foo', { registry: 'localhost', path: 'foo' }],
    ['localhost:5000/foo/bar:v1', { registry: 'localhost:5000', path: 'foo/bar', tag: 'v1' }],
    ['Docker/docker', { registry: 'Docker', path: 'docker' }],
    ['FOO/bar', { registry: 'FOO', path: 'bar' }],
    ['192.168.1.1/repo', { registry: '192.168.1.1', path: 'repo' }],
    ['192.168.1.1:5000/repo:5050', { registry: '192.168.1.1:5000', path: 'repo', tag: '5050' }],
    ['127.0.0.1:5000/library/debian', { registry: '127.0.0.1:5000', path: 'library/debian' }],
    ['xn--n3h.com:18080/foo', { registry: 'xn--n3h.com:18080', path: 'foo' }],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', { registry: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag' }],
    ['b.gcr.io/test.example.com/my-app:test.example.com', { registry: 'b.gcr.io', path: 'test.example.com/my-app', tag: 'test.example.com' }],
    ['us-docker.pkg.dev/acme/apps/invoice:v4.2.0', { registry: 'us-docker.pkg.dev', path: 'acme/apps/invoice', tag: 'v4.2.0' }],
    ['reg.local:5000/team/api:v1', { registry: 'reg.local:5000', path: 'team/api', tag: 'v1' }],
    // IPv6 hosts, in brackets
    ['[::1]:5000/repo', { registry: '[::1]:5000', path: 'repo' }],
    ['[2001:db8::1]/repo', { registry: '[2001:db8::1]', path: 'repo' }],
    ['[2001:db8::]:5000/repo', { registry: '[2001:db8::]:5000', path: 'repo' }],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', { registry: '[2001:db8:1:2:3:4:5:6]', path: 'repo', tag: 'tag' }],
    ['[fc00::1]:5000/docker/docker', { registry: '[fc00::1]:5000', path: 'docker/docker' }],
    [`[2001:db8::1]:5000/repo:tag@${SHA256}`, { registry: '[2001:db8::1]:5000', path: 'repo', tag: 'tag', digest: SHA256 }],
    // tag and digest together: both kept (rollgate pins as repo:dev@sha256:…)
    [`test:5000/repo@${SHA256}`, { registry: 'test:5000', path: 'repo', digest: SHA256 }],
    [`test:5000/repo:tag@${SHA256}`, { registry: 'test:5000', path: 'repo', tag: 'tag', digest: SHA256 }],
    [`busybox:latest@${BUSYBOX_DIGEST}`, { registry: 'docker.io', path: 'library/busybox', tag: 'latest', digest: BUSYBOX_DIGEST }],
    [`xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, { registry: 'xn--7o8h.com', path: 'myimage', tag: 'xn--7o8h.com', digest: SHA512 }],
    [`reg.io/a@sha384:${'0'.repeat(96)}`, { registry: 'reg.io', path: 'a', digest: `sha384:${'0'.repeat(96)}` }],
    // path component separators: one ".", one or two "_", any number of "-"
    ['docker-rules/docker', { registry: 'docker.io', path: 'docker-rules/docker' }],
    ['docker---rules/docker', { registry: 'docker.io', path: 'docker---rules/docker' }],
    ['dock__er/docker', { registry: 'docker.io', path: 'dock__er/docker' }],
    ['d/docker', { registry: 'docker.io', path: 'd/docker' }],
    ['jess/t', { registry: 'docker.io', path: 'jess/t' }],
    ['ubuntu-12.04-base', { registry: 'docker.io', path: 'library/ubuntu-12.04-base' }],
    // a 64-hex name is fine once a registry says it is a name
    ['docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      { registry: 'docker.io', path: 'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a' }],
    ['thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
      { registry: 'docker.io', path: 'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev' }],
    // tags may be uppercase and 128 characters long
    ['lowercase:Uppercase', { registry: 'docker.io', path: 'library/lowercase', tag: 'Uppercase' }],
    [`reg.io/a:${'t'.repeat(128)}`, { registry: 'reg.io', path: 'a', tag: 't'.repeat(128) }],
    [`reg.io/a:_x.y-z`, { registry: 'reg.io', path: 'a', tag: '_x.y-z' }],
    // 255 characters of path, the registry not counted
    [`example.com/${'a'.repeat(255)}:tag`, { registry: 'example.com', path: 'a'.repeat(255), tag: 'tag' }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseImageRef(input)).toEqual(expected);
  });
});

describe('parseImageRef rejects what Docker rejects, saying what is wrong', () => {
  const cases: [input: string, message: string][] = [
    ['', 'the reference is empty'],
    [':justtag', 'the repository name is missing'],
    [`@${SHA256}`, 'the repository name is missing'],
    ['docker.io/:tag', 'the repository name is missing'],
    ['https://github.com/docker/docker', 'without a URL scheme'],
    ['nginx :1.27', 'whitespace'],
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'image ID, not a repository name'],
    // uppercase repository names
    ['Uppercase:tag', 'repository name must be lowercase: Uppercase'],
    ['docker/Docker', 'repository name must be lowercase: docker/Docker'],
    ['docker.io/docker/Docker', 'repository name must be lowercase: docker/Docker'],
    ['test:5000/Uppercase/lowercase:tag', 'repository name must be lowercase: Uppercase/lowercase'],
    ['reg.local:5000/Team/api:v1', 'repository name must be lowercase: Team/api'],
    // path components
    ['docker///docker', 'empty component'],
    ['docker.io/docker///docker', 'empty component'],
    ['docker/', 'empty component'],
    ['-docker', 'must start and end with a letter or digit: -docker'],
    ['-docker/docker', 'must start and end with a letter or digit: -docker'],
    ['docker-/docker', 'must start and end with a letter or digit: docker-'],
    ['-docker-/docker', 'must start and end with a letter or digit'],
    ['____/____', 'must start and end with a letter or digit'],
    ['_docker/_docker', 'must start and end with a letter or digit'],
    ['foo/dock..er', 'never mixed: dock..er'],
    ['foo/dock_.er', 'never mixed: dock_.er'],
    ['foo/dock-.er', 'never mixed: dock-.er'],
    ['foo/dock___er', 'never mixed: dock___er'],
    ['aa/asdf$$^/aa', 'may only contain lowercase letters, digits, ".", "_" and "-": asdf$$^'],
    // registry hosts
    ['-docker.io/docker/docker', 'registry host must be a host name or IP address'],
    ['dock..er/docker', '"." between them): dock..er'],
    ['test:abc/repo', 'registry port must be a number: test:abc'],
    ['[fc00::1]', 'needs a repository path after it'],
    ['[fc00::1]:5000', 'needs a repository path after it'],
    ['[2001:db8::1]:tag', 'needs a repository path after it'],
    ['fc00::1:5000/debian', 'IPv6 registry hosts must be in brackets'],
    ['[fe80::1%eth0]:5000/debian', 'IPv6 zone identifiers are not allowed'],
    ['[fe80::1%@invalidzone]:5000/repo', 'IPv6 zone identifiers are not allowed'],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'bracketed IPv6 address'],
    // tags
    ['busybox:-foo', 'tag must not start with "." or "-": -foo'],
    ['busybox:.foo', 'tag must not start with "." or "-"'],
    ['busybox:', 'the tag is empty'],
    ['busybox:v1+build', 'tag may only contain letters, digits, "_", "." and "-" (found "+")'],
    ['busybox:a:b', '(found ":")'],
    [`reg.io/a:${'t'.repeat(129)}`, 'tag must not be more than 128 characters (it has 129)'],
    // digests
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', 'sha256 digest must have exactly 64 hex characters (it has 34)'],
    [`repo@sha256:${'f'.repeat(65)}`, 'sha256 digest must have exactly 64 hex characters (it has 65)'],
    [`repo@sha256:${'F'.repeat(64)}`, 'sha256 digest must be lowercase hexadecimal'],
    [`repo@sha256:${'g'.repeat(64)}`, 'sha256 digest must be hexadecimal'],
    [`repo@sha512:${'f'.repeat(64)}`, 'sha512 digest must have exactly 128 hex characters (it has 64)'],
    [`validname@invaliddigest:${'f'.repeat(64)}`, 'unsupported digest algorithm "invaliddigest"'],
    [`repo@md5:${'f'.repeat(32)}`, 'unsupported digest algorithm "md5"'],
    ['repo@latest', 'digest must look like sha256:<64 hex characters>'],
    [`repo@${'f'.repeat(64)}`, 'digest must look like sha256:'],
    // length of the path
    [`example.com/${'a'.repeat(256)}:tag`, 'repository name must not be more than 255 characters (it has 256)'],
    [`domain/${'a'.repeat(249)}:tag`, 'repository name must not be more than 255 characters (it has 256)'],
    [`${'a/'.repeat(128)}a:tag`, 'must not be more than 255 characters'],
    [`this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_${'x'.repeat(200)}/docker`, 'must not be more than 255'],
  ];
  it.each(cases)('%s', (input, message) => {
    let caught: unknown;
    try {
      parseImageRef(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidReferenceError);
    const err = caught as InvalidReferenceError;
    expect(err.message).toBe(`invalid image reference "${input}": ${err.reason}`);
    expect(err.reason).toContain(message);
    expect(err.reference).toBe(input);
  });

  it('is an input error: the run exits 2', () => {
    let caught: unknown;
    try {
      parseImageRef('Team/API');
    } catch (err) {
      caught = err;
    }
    expect(exitCodeOf(caught)).toBe(ExitCode.invalid);
  });
});

describe('formatting', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx', 'nginx'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27', 'nginx:1.27'],
    ['docker.io/library/ubuntu', 'docker.io/library/ubuntu', 'ubuntu'],
    ['index.docker.io/library/ubuntu-12.04-base', 'docker.io/library/ubuntu-12.04-base', 'ubuntu-12.04-base'],
    ['fooo/bar', 'docker.io/fooo/bar', 'fooo/bar'],
    ['other/library', 'docker.io/other/library', 'other/library'],
    ['library/foo/bar', 'docker.io/library/foo/bar', 'library/foo/bar'],
    ['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase'],
    ['example.com/privatebase', 'example.com/privatebase', 'example.com/privatebase'],
    ['Foo/bar', 'Foo/bar', 'Foo/bar'],
    [`busybox:latest@${BUSYBOX_DIGEST}`, `docker.io/library/busybox:latest@${BUSYBOX_DIGEST}`, `busybox:latest@${BUSYBOX_DIGEST}`],
    [`[::1]:5000/team/api:dev@${SHA256}`, `[::1]:5000/team/api:dev@${SHA256}`, `[::1]:5000/team/api:dev@${SHA256}`],
  ])('%s is %s in full and %s in short', (input, full, short) => {
    const ref = parseImageRef(input);
    expect(formatImageRef(ref)).toBe(full);
    expect(familiar(ref)).toBe(short);
    // both forms read back to the same reference
    expect(parseImageRef(full)).toEqual(ref);
    expect(parseImageRef(short)).toEqual(ref);
  });

  it('names the repository without tag or digest', () => {
    expect(repositoryOf(parseImageRef(`reg.local:5000/team/api:v1@${SHA256}`))).toBe('reg.local:5000/team/api');
  });
});

describe('sameRepository', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:1.27', true],
    ['index.docker.io/library/nginx', `nginx@${SHA256}`, true],
    ['reg.local:5000/team/api:v1', 'reg.local:5000/team/api:dev', true],
    ['REG.local:5000/team/api', 'reg.local:5000/team/api', true],
    ['reg.local:5000/team/api', 'reg.local/team/api', false],
    ['reg.local:5000/team/api', 'reg.local:5000/team/api-worker', false],
    ['nginx', 'library/nginx/extra', false],
    ['localhost/foo', 'foo', false],
  ])('%s and %s: %s', (a, b, same) => {
    expect(sameRepository(a, b)).toBe(same);
    expect(sameRepository(parseImageRef(b), parseImageRef(a))).toBe(same);
  });
});

describe('parseRepository', () => {
  it('takes a repository without tag or digest', () => {
    expect(parseRepository('us-docker.pkg.dev/acme/apps/invoice')).toEqual({ registry: 'us-docker.pkg.dev', path: 'acme/apps/invoice' });
  });
  it.each([
    ['us-docker.pkg.dev/acme/apps/invoice:v1', 'remove the tag :v1'],
    [`reg.io/a:v1@${SHA256}`, `remove the digest @${SHA256}`],
  ])('refuses %s', (input, message) => {
    expect(() => parseRepository(input)).toThrow(message);
  });
});

describe('isValidTag and isValidDigest', () => {
  it.each([
    ['v4.2.0', true], ['latest', true], ['_private', true], ['A', true], ['1.2.3-rc.1', true], ['t'.repeat(128), true],
    ['', false], ['-x', false], ['.x', false], ['v1+b', false], ['a/b', false], ['t'.repeat(129), false], ['é', false],
  ])('tag %j: %s', (tag, valid) => {
    expect(isValidTag(tag)).toBe(valid);
  });
  it.each([
    [SHA256, true], [SHA512, true], [`sha384:${'a'.repeat(96)}`, true],
    [`sha256:${'A'.repeat(64)}`, false], [`sha256:${'a'.repeat(63)}`, false], [`sha1:${'a'.repeat(40)}`, false],
    ['a'.repeat(64), false], ['', false],
  ])('digest %s: %s', (digest, valid) => {
    expect(isValidDigest(digest)).toBe(valid);
  });
});
