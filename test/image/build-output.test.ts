import { describe, expect, it } from 'vitest';
import { LineTail, StepTracker } from '../../src/image/build-output.ts';

// Recorded from `DOCKER_BUILDKIT=1 docker build --progress=plain` (engine 20.10) on a failing RUN.
const BUILDKIT_CLASSIC = `#1 [internal] load build definition from Dockerfile
#1 sha256:417b934fca79517d30e13631fe0e44e884026f43a6b4ba6ccd9de2192bd4766b
#1 transferring dockerfile: 216B done
#1 DONE 0.0s
#4 [stage-1 1/2] FROM 127.0.0.1:45123/sandbox/busybox:1@sha256:b139b0c58d0ceda18f458c5a96caa2336afb4a091d832bda3fa0829f1f394623
#4 CACHED
#5 [build 2/3] RUN echo one
#5 0.055 one
#5 DONE 0.1s
#6 [build 3/3] RUN for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3
#6 0.042 line 5
#6 0.042 oops
#6 ERROR: executor failed running [/bin/sh -c for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3]: exit code: 3
------
 > [build 3/3] RUN for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3:
------
executor failed running [/bin/sh -c for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3]: exit code: 3`;

// buildx 0.12 prints the same shape with a different error text, and steps of two stages interleave.
const BUILDX_PARALLEL = `#5 [deps 2/3] RUN pip install -r requirements.txt
#6 [assets 2/2] RUN npm ci
#5 3.120 Collecting Django==4.2.11
#6 2.001 npm ERR! code E404
#6 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1
#5 3.500 Collecting psycopg==3.1.18
#5 CANCELED
------
 > [assets 2/2] RUN npm ci:
2.001 npm ERR! code E404
------
Dockerfile:9
ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1`;

const BUILDKIT_BASE_MISSING = `#3 [internal] load metadata for 127.0.0.1:5000/sandbox/missing:1
#3 ERROR: 127.0.0.1:5000/sandbox/missing:1: not found
------
 > [internal] load metadata for 127.0.0.1:5000/sandbox/missing:1:
------
error: failed to solve: 127.0.0.1:5000/sandbox/missing:1: not found`;

// Recorded from buildah 1.28 `bud` on the same failing Dockerfile.
const BUILDAH = `[1/2] STEP 1/3: FROM 127.0.0.1:45123/sandbox/busybox:1 AS build
[1/2] STEP 2/3: RUN echo one
one
[1/2] STEP 3/3: RUN for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3
line 5
oops
subprocess exited with status 3
Error: building at STEP "RUN for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3": exit status 3`;

const BUILDAH_SINGLE_STAGE = `STEP 1/2: FROM 127.0.0.1:45123/sandbox/busybox:1
STEP 2/2: RUN false
subprocess exited with status 1
Error: building at STEP "RUN false": exit status 1`;

describe('StepTracker', () => {
  it.each([
    ['classic BuildKit: the vertex that reported ERROR', BUILDKIT_CLASSIC, '[build 3/3] RUN for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3'],
    ['buildx with stages in parallel: the failed one, not the last one to print', BUILDX_PARALLEL, '[assets 2/2] RUN npm ci'],
    ['BuildKit: a base image that cannot be resolved', BUILDKIT_BASE_MISSING, '[internal] load metadata for 127.0.0.1:5000/sandbox/missing:1'],
    ['buildah, multi-stage: the last step that started', BUILDAH, '[1/2] STEP 3/3: RUN for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exit 3'],
    ['buildah, one stage', BUILDAH_SINGLE_STAGE, 'STEP 2/2: RUN false'],
  ])('%s', (_name, output, step) => {
    const tracker = new StepTracker();
    for (const line of output.split('\n')) tracker.push(line);
    expect(tracker.failedStep()).toBe(step);
  });

  it('names no step when nothing ran', () => {
    const tracker = new StepTracker();
    tracker.push('unable to prepare context: path "/nope" not found');
    expect(tracker.failedStep()).toBeUndefined();
  });
});

describe('LineTail', () => {
  it('keeps the last lines only', () => {
    const tail = new LineTail(3);
    for (let i = 1; i <= 5; i++) tail.push(`line ${i}`);
    expect(tail.lines()).toEqual(['line 3', 'line 4', 'line 5']);
  });

  it('leaves out blank lines and BuildKit vertex digests', () => {
    const tail = new LineTail(5);
    for (const line of ['#5 [build 2/3] RUN make', `#5 sha256:${'d1'.repeat(32)}`, '', '#5 0.056 cc -o app main.c']) tail.push(line);
    expect(tail.lines()).toEqual(['#5 [build 2/3] RUN make', '#5 0.056 cc -o app main.c']);
  });
});
