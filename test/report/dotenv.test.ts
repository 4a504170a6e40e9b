import { describe, expect, it } from 'vitest';
import { DOTENV_MAX_VARIABLES, dotenvText } from '../../src/report/dotenv.ts';
import type { RunResult } from '../../src/report/result.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function result(over: Partial<RunResult> = {}): RunResult {
  return {
    command: 'deploy',
    outcome: 'reverted',
    environment: 'dev',
    version: 'v4.2.0',
    images: [{ name: 'invoice-web', repository: 'us-docker.pkg.dev/acme/apps/invoice', digest: DIGEST, tags: ['v4.2.0'] }],
    timings: {},
    message: 'rollout failed:\n  crash-loop',
    ...over,
  };
}

describe('dotenvText', () => {
  it('writes one KEY=value per line as GitLab parses it: no quotes, no blank lines, one-line values', () => {
    expect(dotenvText(result(), 1)).toBe(
      [
        'ROLLGATE_COMMAND=deploy',
        'ROLLGATE_OUTCOME=reverted',
        'ROLLGATE_EXIT_CODE=1',
        'ROLLGATE_ENVIRONMENT=dev',
        'ROLLGATE_VERSION=v4.2.0',
        'ROLLGATE_MESSAGE=rollout failed: crash-loop',
        `ROLLGATE_IMAGE_INVOICE_WEB=us-docker.pkg.dev/acme/apps/invoice@${DIGEST}`,
        '',
      ].join('\n'),
    );
  });

  it('names the failed stage and the time to safe of a reverted deploy, for the jobs after it', () => {
    const reverted = result({ failedStage: 'rollout', revert: { tagRestored: true, workloadsRestored: true, timeToSafeSeconds: 0.4 } });
    const lines = dotenvText(reverted, 1).trimEnd().split('\n');
    expect(lines).toContain('ROLLGATE_FAILED_STAGE=rollout');
    expect(lines).toContain('ROLLGATE_TIME_TO_SAFE_SECONDS=0.4');
    expect(dotenvText(result({ outcome: 'deployed' }), 0)).not.toContain('TIME_TO_SAFE');
  });

  it('stays within GitLab\'s variable limit however many images there are', () => {
    const images = Array.from({ length: 40 }, (_, i) => ({ name: `image${i}`, repository: `r/${i}`, digest: DIGEST, tags: [] }));
    expect(dotenvText(result({ images }), 0).trimEnd().split('\n')).toHaveLength(DOTENV_MAX_VARIABLES);
  });
});
