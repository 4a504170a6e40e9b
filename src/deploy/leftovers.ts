// What a revert could not finish, and the commands a person runs to finish it. Pure: the revert's results in,
// lines of text out. Tags get a registry tool's command (skopeo, or crane), workloads kubectl's.
import { describeRef } from '../kube/cluster.ts';
import { kubectlName, kubectlPrefix } from '../kube/restore-plan.ts';
import type { RestoreResult } from '../kube/restore.ts';
import type { Snapshot } from '../kube/apply/snapshot.ts';
import { describeTagRevert, type TagRevert } from './target-tags.ts';

export interface Leftover {
  /** One line: what is left as it should not be. */
  what: string;
  commands: string[];
}

/**
 * A tag whose revert failed or that could not be removed. A tag someone else moved is theirs: not a leftover.
 * `insecure` says which repositories are reached without TLS verification (loopback, `insecure: true`): their
 * commands need the tools' flags for it.
 */
export function tagLeftovers(reverts: readonly TagRevert[], insecure: (repository: string) => boolean = () => false): Leftover[] {
  const out: Leftover[] = [];
  for (const r of reverts) {
    const { status } = r.result;
    if (status === 'restored' || status === 'deleted' || status === 'moved-by-someone-else') continue;
    const plain = insecure(r.repository);
    const skopeo = `skopeo copy --all${plain ? ' --src-tls-verify=false --dest-tls-verify=false' : ''}`;
    if (r.previousDigest === undefined) {
      out.push({
        what: describeTagRevert(r),
        commands: [`# the tag did not exist before the run; point it where it should be, e.g.: ${skopeo} docker://${r.repository}@<digest> docker://${r.repository}:${r.tag}`],
      });
      continue;
    }
    out.push({
      what: describeTagRevert(r),
      commands: [
        `${skopeo} docker://${r.repository}@${r.previousDigest} docker://${r.repository}:${r.tag}`,
        `# or: crane tag${plain ? ' --insecure' : ''} ${r.repository}@${r.previousDigest} ${r.tag}`,
      ],
    });
  }
  return out;
}

/** What the workload restore left, from its own per-step problems (each carries its kubectl commands). */
export function restoreLeftovers(result: RestoreResult): Leftover[] {
  return result.problems.map((p) => ({ what: `${describeRef(p.ref)}: ${p.stage === 'rollout' ? 'not Available again' : `${p.stage} failed`}: ${firstLine(p.message)}`, commands: p.commands }));
}

/**
 * The restore never ran to the end (the cluster stopped answering): everything in the snapshot is left, and the
 * saved previous objects file puts them back.
 */
export function unrestoredLeftovers(snapshot: Snapshot, previousObjectsFile: string | undefined, context: string | undefined, why: string): Leftover[] {
  const changed = snapshot.entries.filter((e) => e.previous);
  const created = snapshot.entries.filter((e) => !e.previous);
  const out: Leftover[] = [];
  if (changed.length) {
    const ns = changed[0]!.ref;
    const k = kubectlPrefix(ns, context);
    const workloads = changed.filter((e) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(e.ref.kind));
    out.push({
      what: `the objects this run changed are not restored (${why}): ${changed.map((e) => describeRef(e.ref)).join(', ')}`,
      commands: [
        ...(previousObjectsFile ? [`${k} apply --server-side --force-conflicts --field-manager=rollgate -f ${previousObjectsFile}`] : []),
        ...workloads.map((e) => `${kubectlPrefix(e.ref, context)} rollout ${previousObjectsFile ? 'status' : 'undo'} ${kubectlName(e.ref)}`),
      ],
    });
  }
  const deletable = created.filter((e) => !['PersistentVolumeClaim', 'Namespace', 'Secret', 'CustomResourceDefinition'].includes(e.ref.kind));
  if (deletable.length) {
    out.push({
      what: `objects this run created may still exist: ${deletable.map((e) => describeRef(e.ref)).join(', ')}`,
      commands: deletable.map((e) => `${kubectlPrefix(e.ref, context)} delete --ignore-not-found ${kubectlName(e.ref)}`),
    });
  }
  return out;
}

export function formatLeftovers(leftovers: readonly Leftover[]): string {
  const lines = ['The revert did not finish. Left to do, by hand:'];
  for (const l of leftovers) {
    lines.push(`  - ${l.what}`);
    for (const c of l.commands) lines.push(`      ${c}`);
  }
  return lines.join('\n');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
