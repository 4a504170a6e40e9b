// The action's outputs: the result JSON, flattened to the values a workflow's later steps use most. action.yml
// declares exactly these (a test keeps them equal). GitLab gets the same keys through --dotenv.
import type { RunResult } from './result.ts';

export const ACTION_OUTPUTS = {
  outcome: 'deployed | reverted | revert-failed | invalid | blocked | unchanged | built | valid | failed',
  'exit-code': 'The exit code the CLI would return (0 done, 1 failed and reverted, 2 invalid, 3 unsafe, 4 refused).',
  digests: 'JSON object: image name -> the digest pushed or deployed (sha256:...).',
  result: 'The whole result as JSON (what --json writes).',
  message: 'One line saying what happened.',
} as const;

export type ActionOutputName = keyof typeof ACTION_OUTPUTS;

export function outputsOf(result: RunResult, exitCode: number): Record<ActionOutputName, string> {
  return {
    outcome: result.outcome,
    'exit-code': String(exitCode),
    digests: JSON.stringify(Object.fromEntries(result.images.filter((i) => i.digest).map((i) => [i.name, i.digest]))),
    result: JSON.stringify(result),
    message: result.message,
  };
}
