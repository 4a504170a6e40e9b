// The CLI's help text. README's "CLI" section says the same; keep them together.

export const USAGE = `rollgate — build, push, deploy pinned by digest, verify, and revert on failure

Usage: rollgate <command> [flags]

Commands:
  build      --version V                 build and push the version tags only (no target tag, no cluster)
  deploy     --env E [--version V]       build, push, move the target tag, apply, wait, smoke; revert on failure
             [--no-build]                deploy version tags pushed earlier by \`rollgate build\`
  promote    --from A --to B             no build: B's target tags -> the digests A's target tags point at
  rollback   --env E [--to V|DIGEST]     move the target tag back and redeploy
  rebuild    --env E                     nightly: rebuild the deployed version with fresh packages
  validate   [--env E] [--version V]     load, render and validate everything; writes nothing
  status     --env E                     what is deployed (versions, digests, since when), and why a rollout is stuck
  inventory  IMAGE_REF [--json [FILE]]   packages inside an image (dpkg, apk, python)

Common flags:
  -c, --config F        rollgate.yml path (default: rollgate.yml)
      --kubeconfig P    kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
      --context C       kubeconfig context (must match the environment's kubeContext)
      --force-conflicts take ownership of fields another manager set (server-side apply)
      --json F          write the result as JSON
      --summary F       write a Markdown summary
      --dotenv F        write KEY=value outputs (GitLab artifacts:reports:dotenv)
      --junit F         write the smoke test as JUnit XML (GitLab artifacts:reports:junit)
  -v, --verbose         more detail in the log
  -h, --help            this help;  --version  rollgate's version

Exit codes: 0 done; 1 failed and fully reverted; 2 invalid input, nothing changed;
            3 revert failed or incomplete (act now: the message says what to run); 4 refused to start.
`;
