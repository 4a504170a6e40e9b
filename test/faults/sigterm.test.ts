// Fault 5 of issue 8: SIGTERM at each stage of a deploy (build, tag move, apply, rollout, smoke) puts the target tag
// and the workloads back where they were and exits 1; a run killed outright (SIGKILL: nothing of it runs again) is
// finished from the state it saved, as the action's post step does.
//
// The real CLI runs as its own process and gets a real signal. To land the signal in one stage and not the next,
// the run is held at a door inside that stage (a gate in front of the registry or the API server holds one
// request), signalled, and let through once it has said it is stopping; the build is held by a slow RUN step.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { resumeRevert } from '../../src/deploy/resume.ts';
import { recordingLogger } from '../kube/tracker-cluster.ts';
import { useDeploySandbox, type Project } from '../e2e/deploy-sandbox.ts';
import { startGate, type Gate } from './gate.ts';
import { apiGate, clusterWrites, inNamespace, resultOf, startCli, type RunningCli } from './fault-sandbox.ts';

const t = useDeploySandbox();

const SLOW_BUILD = `ARG BASE_IMAGE
FROM \${BASE_IMAGE} AS build
RUN echo "compiling assets" && sleep 120 && mkdir -p /www

FROM \${BASE_IMAGE} AS runtime
COPY --from=build /www /www
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`;

let gates: Gate[] = [];
afterEach(async () => {
  await Promise.all(gates.map((g) => g.close()));
  gates = [];
});

interface Stage {
  stage: string;
  /** Starts the v2 run (the project already on v1) and signals it inside the stage. */
  cancel: (p: Project) => Promise<RunningCli>;
  message: string;
  /** Whether the run had written to the cluster when it stopped. */
  wrote: boolean;
}

/** Starts the run with its registry or API traffic through a gate, and signals it while a request it sends is held. */
async function signalWhileHeld(p: Project, via: 'registry' | 'api', matches: (method: string, path: string) => boolean): Promise<RunningCli> {
  let kubeconfig: string | undefined;
  let gate: Gate;
  if (via === 'registry') {
    gate = await startGate(`http://${inject('registryHost')}`);
    p.write({ mode: 'good', greeting: 'hello v2', registryEndpoint: gate.url });
  } else {
    ({ gate, kubeconfig } = await apiGate(t, p.dir));
    p.write({ mode: 'good', greeting: 'hello v2' });
  }
  gates.push(gate);
  const hold = gate.hold(matches);
  const run = startCli(t, p, 'v2.0.0', kubeconfig ? { kubeconfig } : {});
  await Promise.race([hold.arrived, run.done.then((r) => Promise.reject(new Error(`the run ended before the held request:\n${r.stderr}`)))]);
  await run.terminate();
  hold.release();
  return run;
}

const STAGES: Stage[] = [
  {
    stage: 'build',
    cancel: async (p) => {
      writeFileSync(join(p.dir, 'app', 'Dockerfile'), SLOW_BUILD);
      const run = startCli(t, p, 'v2.0.0');
      await run.stderrMatches(/compiling assets/);
      await run.terminate();
      return run;
    },
    message: 'the run was cancelled during the build step',
    wrote: false,
  },
  {
    stage: 'tag move',
    // The PUT that points dev at v2: it lands, and the run stops before the apply.
    cancel: (p) => signalWhileHeld(p, 'registry', (method, path) => method === 'PUT' && path.endsWith('/manifests/dev')),
    message: 'the run was cancelled before the apply step',
    wrote: false,
  },
  {
    stage: 'apply',
    // The first real write of the apply (the plan's dry runs and the lock's Lease come before it).
    cancel: (p) => signalWhileHeld(p, 'api', (method, path) => method === 'PATCH' && !path.includes('dryRun') && inNamespace(p, path)),
    message: 'the run was cancelled during the apply',
    wrote: true,
  },
  {
    stage: 'rollout',
    // The tracker's first look at the pods: nothing before the rollout reads them.
    cancel: (p) => signalWhileHeld(p, 'api', (method, path) => method === 'GET' && path.startsWith(`/api/v1/namespaces/${p.namespace}/pods`)),
    message: 'the run was cancelled during the rollout',
    wrote: true,
  },
  {
    stage: 'smoke',
    // The smoke test's first request, through the API server's service proxy.
    cancel: (p) => signalWhileHeld(p, 'api', (_, path) => path.startsWith(`/api/v1/namespaces/${p.namespace}/services/web`) && path.includes('/proxy/')),
    message: 'the run was cancelled during the smoke test',
    wrote: true,
  },
];

describe('SIGTERM at each stage of a deploy', () => {
  it.each(STAGES)('during the $stage: tag and workloads as before, exit 1', async ({ stage, cancel, message, wrote }) => {
    const { p, v1 } = await t.v1Deployed(`term-${stage.replace(' ', '-')}`);
    const before = await t.deployment(p);
    t.sandbox.api.faults.resetCounters();

    const run = await cancel(p);
    const { code, stderr } = await run.done;

    expect(code, stderr).toBe(1);
    const result = resultOf(p, 'v2.0.0');
    expect(result.failedStage).toBe('cancelled');
    expect(result.message).toContain(message);
    if (stage === 'build') {
      expect(result).toMatchObject({ outcome: 'failed' });
      expect(result.message).toMatch(/nothing was changed$/);
      expect(await t.tagDigest(p, 'v2.0.0')).toBeUndefined();
    } else {
      expect(result).toMatchObject({ outcome: 'reverted', revert: { tagRestored: true, workloadsRestored: true, tags: [{ reference: `${p.repository}:dev`, status: 'restored', digest: v1 }] } });
    }
    const writes = clusterWrites(t).filter((w) => !w.includes('/leases/'));
    if (wrote) expect(writes).toContain(`PATCH /apis/apps/v1/namespaces/${p.namespace}/deployments/web`);
    else {
      expect(writes).toEqual([]);
      expect((await t.deployment(p))?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
    }
    await t.expectV1Serving(p, v1);
    // Nothing is left for a post step: the run finished its own revert.
    expect(readdirSync(t.runnerTemp)).toEqual([]);
  });

  it('finishes the revert of a run killed outright (SIGKILL) from the state it saved, as the post step does', async () => {
    const { p, v1 } = await t.v1Deployed('killed');
    const { gate, kubeconfig } = await apiGate(t, p.dir);
    gates.push(gate);
    p.write({ mode: 'good', greeting: 'hello v2' });
    const hold = gate.hold((method, path) => method === 'GET' && path.startsWith(`/api/v1/namespaces/${p.namespace}/pods`));
    const run = startCli(t, p, 'v2.0.0', { kubeconfig });
    await hold.arrived;
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    hold.release();
    const dir = readdirSync(t.runnerTemp).find((d) => d.startsWith('rollgate-restore-dev-'))!;
    expect(await t.tagDigest(p, 'dev')).not.toBe(v1);

    const log = recordingLogger();
    const resumed = await resumeRevert({ stateFile: join(t.runnerTemp, dir, 'state.json'), registries: {}, kubeconfig, logger: log, env: t.env() });

    expect(resumed, log.lines.join('\n')).toMatchObject({ outcome: 'reverted', revert: { tagRestored: true, workloadsRestored: true } });
    await t.expectV1Serving(p, v1);
    expect(existsSync(join(t.runnerTemp, dir))).toBe(false);
  });
});
