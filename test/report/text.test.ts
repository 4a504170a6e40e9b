import { describe, expect, it } from 'vitest';
import { textReporter } from '../../src/report/text.ts';

describe('the text reporter', () => {
  it('opens and closes GitLab collapsible sections around each stage in a GitLab job', () => {
    let out = '';
    const { logger } = textReporter({ verbose: false, env: { GITLAB_CI: 'true' }, stderr: (t) => void (out += t) });
    logger.section?.('build and push');
    logger.info('building web');
    logger.section?.('rollout');
    logger.section?.(undefined);
    const marks = [...out.matchAll(/section_(start|end):\d+:(\w+)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(marks).toEqual(['start rollgate_1', 'end rollgate_1', 'start rollgate_2', 'end rollgate_2']);
    expect(out).toContain('build and push');
    expect(out).toContain('building web\n');
  });

  it('writes a plain heading per stage elsewhere, with no control characters', () => {
    let out = '';
    const { logger } = textReporter({ verbose: false, env: {}, stderr: (t) => void (out += t) });
    logger.section?.('rollout');
    logger.warn('slow');
    logger.section?.(undefined);
    expect(out).toBe('--- rollout\nwarning: slow\n');
  });
});
