import { describe, expect, it } from 'vitest';
import {
  isInventoryPath,
  packagesFromFiles,
  parseApkInstalled,
  parseDpkgStatus,
  parsePythonMetadata,
} from '../../src/image/inventory-packages.ts';

// Trimmed from a bookworm image's /var/lib/dpkg/status.
const DPKG_STATUS = `Package: libssl3
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 6205
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u2
Depends: libc6 (>= 2.34)
Description: Secure Sockets Layer toolkit - shared libraries
 This package is part of the OpenSSL project's implementation of the SSL
 .
 It provides the libssl and libcrypto shared libraries.
Homepage: https://www.openssl.org/

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14

Package: tzdata
Status: deinstall ok config-files
Architecture: all
Version: 2024a-0+deb12u1

Package: base-files
Status: install ok installed
Essential: yes
Architecture: amd64
Version: 12.4+deb12u5

Package: half
Status: install reinstreq half-installed
Architecture: amd64
Version: 1.0
`;

// distroless writes one stanza per file into status.d, without Status.
const STATUS_D_NETBASE = `Package: netbase
Version: 6.4
Architecture: all
Maintainer: Marco d'Itri <md@linux.it>
Installed-Size: 41
`;

const APK_INSTALLED = `C:Q1abc=
P:musl
V:1.2.4-r2
A:x86_64
S:383152
I:622592
T:the musl c library (libc) implementation
o:musl
m:Timo Teräs <timo.teras@iki.fi>
F:lib
R:ld-musl-x86_64.so.1

C:Q1def=
P:libcrypto3
V:3.1.4-r5
A:x86_64
o:openssl
`;

const METADATA = `Metadata-Version: 2.1
Name: Django
Version: 4.2.11
Summary: A high-level Python web framework
License: BSD-3-Clause
Classifier: Framework :: Django

Name: not-a-header
Version: 0.0 (this is the README body)
`;

describe('parseDpkgStatus', () => {
  it('lists installed packages with their versions, source packages and architectures', () => {
    expect(parseDpkgStatus(DPKG_STATUS)).toEqual([
      { type: 'deb', name: 'libssl3', version: '3.0.11-1~deb12u2', source: 'openssl', arch: 'amd64' },
      { type: 'deb', name: 'libgcc-s1', version: '12.2.0-14', source: 'gcc-12', arch: 'amd64' },
      { type: 'deb', name: 'base-files', version: '12.4+deb12u5', arch: 'amd64' },
    ]);
  });

  it('counts a status.d stanza without Status as installed', () => {
    expect(parseDpkgStatus(STATUS_D_NETBASE)).toEqual([{ type: 'deb', name: 'netbase', version: '6.4', arch: 'all' }]);
  });
});

describe('parseApkInstalled', () => {
  it('lists packages with versions, origins and architectures', () => {
    expect(parseApkInstalled(APK_INSTALLED)).toEqual([
      { type: 'apk', name: 'musl', version: '1.2.4-r2', arch: 'x86_64' },
      { type: 'apk', name: 'libcrypto3', version: '3.1.4-r5', source: 'openssl', arch: 'x86_64' },
    ]);
  });
});

describe('parsePythonMetadata', () => {
  it('reads Name and Version from the headers, not the body', () => {
    expect(parsePythonMetadata(METADATA)).toEqual({ type: 'python', name: 'Django', version: '4.2.11' });
  });

  it('returns nothing for a file without a version', () => {
    expect(parsePythonMetadata('Metadata-Version: 2.1\nName: x\n')).toBeUndefined();
  });
});

describe('isInventoryPath', () => {
  it.each([
    ['var/lib/dpkg/status', true],
    ['var/lib/dpkg/status-old', false],
    ['var/lib/dpkg/status.d/netbase', true],
    ['lib/apk/db/installed', true],
    ['usr/lib/python3.11/site-packages/Django-4.2.11.dist-info/METADATA', true],
    ['usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO', true],
    ['usr/lib/python3/dist-packages/six-1.16.0.egg-info', true],
    ['app/.venv/lib/python3.12/site-packages/requests-2.31.0.dist-info/METADATA', true],
    ['usr/lib/python3.11/site-packages/Django-4.2.11.dist-info/RECORD', false],
    ['src/tests/fixtures/fake-1.0.dist-info/METADATA', false],
  ])('%s -> %s', (path, wanted) => expect(isInventoryPath(path)).toBe(wanted));
});

describe('packagesFromFiles', () => {
  it('merges every source, skips md5sums and non-inventory files, dedupes and sorts', () => {
    const files = new Map(
      Object.entries({
        'var/lib/dpkg/status': DPKG_STATUS,
        'var/lib/dpkg/status.d/netbase': STATUS_D_NETBASE,
        'var/lib/dpkg/status.d/netbase.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  etc/protocols\n',
        'lib/apk/db/installed': APK_INSTALLED,
        'usr/lib/python3/site-packages/Django-4.2.11.dist-info/METADATA': METADATA,
        'app/venv/lib/python3/site-packages/Django-4.2.11.dist-info/METADATA': METADATA,
        'etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
      }).map(([k, v]) => [k, Buffer.from(v)]),
    );
    expect(packagesFromFiles(files).map((p) => `${p.type} ${p.name} ${p.version}`)).toEqual([
      'apk libcrypto3 3.1.4-r5',
      'apk musl 1.2.4-r2',
      'deb base-files 12.4+deb12u5',
      'deb libgcc-s1 12.2.0-14',
      'deb libssl3 3.0.11-1~deb12u2',
      'deb netbase 6.4',
      'python Django 4.2.11',
    ]);
  });
});
