import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../src/config/suggest.ts';

const ENVIRONMENT_KEYS = ['targetTag', 'namespace', 'kubeContext', 'apiServer', 'manifests', 'rollout', 'smoke'];

describe('didYouMean', () => {
  it.each([
    ['namepsace', 'namespace'],
    ['target_tag', 'targetTag'],
    ['targettag', 'targetTag'],
    ['kubecontext', 'kubeContext'],
    ['manifest', 'manifests'],
    ['smok', 'smoke'],
  ])('suggests %s -> %s', (word, expected) => {
    expect(didYouMean(word, ENVIRONMENT_KEYS)).toBe(expected);
  });

  it.each(['replicas', 'cluster', 'x'])('suggests nothing for %s, which is no near miss', (word) => {
    expect(didYouMean(word, ENVIRONMENT_KEYS)).toBeUndefined();
  });
});
