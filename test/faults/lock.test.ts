// Fault 6 of issue 8: two deploys to one environment at once. The first holds the environment's lock (a Lease) from
// before its first change to its end; the second waits for it and then runs, or gives up after lockTimeout (exit 4,
// nothing of the first run's touched).
//
// The first run is held inside its apply (its hook waits) while the second, a CLI process of its own (so a lock
// holder of its own), gets as far as the lock: the two meet there every time, without a timer.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SavedDeploy } from '../../src/deploy/saved-state.ts';
import { deploymentState, useDeploySandbox, type Run } from '../e2e/deploy-sandbox.ts';
import { clusterWrites, editConfig, resultOf, startCli, type CliRun } from './fault-sandbox.ts';

const t = useDeploySandbox();

/** Calls `meanwhile` once, when the run holds the lock and is about to apply; the run waits for it. */
function whileApplying(meanwhile: () => Promise<void>): { onRestoreState: (file: string | undefined) => Promise<void> } {
  let called = false;
  return {
    onRestoreState: async (file) => {
      if (!file || called || !(JSON.parse(readFileSync(file, 'utf8')) as SavedDeploy & { applying?: boolean }).applying) return;
      called = true;
      await meanwhile();
    },
  };
}

const log = (run: Run) => run.log.lines.join('\n');
// The first run is in this process: the lock names it by host and pid.
const FIRST_HOLDER = `${hostname()}/${process.pid}/`;

describe('fault 6: two deploys to one environment at once', () => {
  it('the second waits for the lock, then runs on top of the first', async () => {
    const p = t.project('lock-wait');
    p.write({ mode: 'good', greeting: 'hello v1' });
    let second: Promise<CliRun> | undefined;
    const first = await t.deploy(
      p,
      'v1.0.0',
      whileApplying(async () => {
        const run = startCli(t, p, 'v2.0.0');
        second = run.done;
        await run.stderrMatches(/waiting for the deploy lock/);
      }),
    );

    expect(first.code, log(first)).toBe(0);
    const v1 = first.result.images[0]!.digest;
    const { code, stderr } = await second!;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`waiting for the deploy lock of "dev": held by ${FIRST_HOLDER}`);
    const result = resultOf(p, 'v2.0.0');
    // It looked at the tag once it held the lock: it found the first run's release, and would put it back.
    expect(result).toMatchObject({ outcome: 'deployed', images: [{ previousDigest: v1 }] });
    const v2 = result.images[0]!.digest;
    expect(v2).not.toBe(v1);
    expect(await t.tagDigest(p, 'dev')).toBe(v2);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v2}` });
  });

  it('the second gives up after lockTimeout: exit 4, naming the holder, and the first run goes on untouched', async () => {
    const p = t.project('lock-timeout');
    p.write({ mode: 'good', greeting: 'hello v1' });
    const impatient = editConfig(p, (c) => void (c.rollout.lockTimeout = '1s'), join(p.dir, 'rollgate-impatient.yml'));
    let second: CliRun | undefined;
    let writes: string[] = [];
    const first = await t.deploy(
      p,
      'v1.0.0',
      {
        ...whileApplying(async () => {
          t.sandbox.api.faults.resetCounters();
          second = await startCli(t, p, 'v2.0.0', { config: impatient }).done;
          writes = clusterWrites(t);
        }),
        // The holder names the CI run that holds the lock, from the run's own environment.
        env: { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '2' },
      },
    );

    expect(second!.code, second!.stderr).toBe(4);
    const result = resultOf(p, 'v2.0.0');
    expect(result.outcome).toBe('blocked');
    expect(result.message).toMatch(new RegExp(`^the deploy lock of environment "dev" \\(Lease ${p.namespace}/rollgate-dev\\) is held by ${FIRST_HOLDER}4242\\.2 since \\S+Z, last renewed \\S+Z; waited \\d+s \\(lockTimeout\\)$`));
    expect(second!.stderr).toContain('refused to start (nothing was changed)');
    // While the first run was held, the second wrote nothing to the cluster but the first run's Lease renewals.
    expect(writes.filter((w) => !w.endsWith('/leases/rollgate-dev'))).toEqual([]);
    expect(first.code, log(first)).toBe(0);
    const v1 = first.result.images[0]!.digest;
    expect(await t.tagDigest(p, 'dev')).toBe(v1);
    expect(deploymentState(await t.deployment(p))).toEqual({ available: true, image: `${p.repository}:dev@${v1}` });
  });
});
