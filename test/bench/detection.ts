// Failure detection latency: for each failure scenario, the time from the signal showing in the API (read from the
// emulator's store, to the millisecond) to rollgate's verdict, next to `kubectl rollout status` started on the same
// rollout at the same moment (progressDeadlineSeconds short, so it reaches its own verdict within the run).
// Scenarios run one after another, so each verdict is timed on a quiet machine; the kubectl baselines keep waiting
// in the background and their namespaces are dropped once they end.
import { trackRollout, workloadsOf } from '../../src/kube/rollout/tracker.ts';
import type { RuleId } from '../../src/kube/rollout/verdict.ts';
import { envNumber, type Bench } from './context.ts';
import { duration, median, p95, ratio, secs, verdict, type Row } from './report.ts';
import type { BenchSandbox, KubectlRun } from './sandbox.ts';
import { SCENARIOS, type FailureScenario } from './scenarios.ts';

/** The design's bound: a verdict at most 2 s after the signal (after the window, for windowed rules). */
const TARGET_MS = 2_000;

interface Sample {
  rep: number;
  rule: RuleId | undefined;
  /** ms the signal reached the store; NaN when it never did before the verdict. */
  signalAt: number;
  /** rollgate's own reading: the API timestamp the rule judged from (whole seconds) and its window. */
  apiSignalAt: number;
  windowMs: number;
  detectedAt: number;
  /** The tracker's result with its diagnosis (logs read) in hand. */
  resolvedAt: number;
}

interface Baseline {
  /** ms kubectl reported the failure, or undefined when it was still waiting at its --timeout. */
  verdictAt: number | undefined;
  message: string;
}

async function once(sb: BenchSandbox, scenario: FailureScenario, rep: number, deadlineS: number, capS: number): Promise<{ sample: Sample; baseline: Promise<Baseline> }> {
  const ns = await sb.namespace(`detect-${scenario.name}-${rep}`);
  scenario.setup?.(sb.cluster, ns);
  let signalAt = NaN;
  const stopWatching = sb.cluster.store.watch('*', { namespace: ns }, (e) => {
    if (Number.isNaN(signalAt) && e.type !== 'DELETED' && scenario.signal(e.resourceType, e.object)) signalAt = Date.now();
  });
  // One connection applies and tracks, as in a deploy (discovery is warm by the time tracking starts).
  const cluster = await sb.connect();
  try {
    const objects = scenario.objects(ns, sb.image, deadlineS);
    const appliedAt = Date.now();
    for (const o of objects) await cluster.apply(o, { fieldManager: 'rollgate', force: true });
    const kubectl = sb.kubectl(['-n', ns, 'rollout', 'status', `deployment/${scenario.name}`, `--timeout=${capS}s`]);
    const result = await trackRollout(cluster, workloadsOf(objects), { timeoutMs: 120_000, since: appliedAt });
    const resolvedAt = Date.now();
    const f = result.failure;
    const sample: Sample = {
      rep,
      rule: f?.rule,
      signalAt,
      apiSignalAt: f?.signalAt ? Date.parse(f.signalAt) : NaN,
      windowMs: f?.windowMs ?? 0,
      detectedAt: f ? Date.parse(f.detectedAt) : NaN,
      resolvedAt,
    };
    const baseline = kubectl.then(async (run) => {
      await sb.dropNamespace(ns);
      return baselineOf(run);
    });
    return { sample, baseline };
  } finally {
    stopWatching();
    await cluster.close();
  }
}

function baselineOf(run: KubectlRun): Baseline {
  const message = run.stderr.trim().split('\n').at(-1) ?? '';
  if (run.code === 0) return { verdictAt: undefined, message: `reported success: ${run.stdout.trim().split('\n').at(-1)}` };
  return /timed out waiting/.test(message) ? { verdictAt: undefined, message } : { verdictAt: run.endedAt, message };
}

export const detection: Bench = {
  name: 'detection',
  async run(ctx) {
    const deadlineS = envNumber('BENCH_PROGRESS_DEADLINE_S', 60);
    const capS = deadlineS + 30;
    const sb = await ctx.sandbox();
    const samples = new Map<string, { sample: Sample; baseline: Promise<Baseline> }[]>();
    for (let rep = 0; rep < ctx.runs; rep++) {
      for (const scenario of SCENARIOS) {
        ctx.progress(`detection: ${scenario.name}, run ${rep + 1}/${ctx.runs}`);
        const list = samples.get(scenario.name) ?? [];
        list.push(await once(sb, scenario, rep, deadlineS, capS));
        samples.set(scenario.name, list);
      }
    }
    ctx.progress(`detection: waiting for the kubectl baselines (up to ${capS} s)`);
    const rows: Row[] = [];
    const figures: Record<string, unknown> = {};
    for (const scenario of SCENARIOS) {
      const runs = samples.get(scenario.name)!;
      const all = await Promise.all(runs.map(async (r) => ({ ...r.sample, baseline: await r.baseline })));
      const afterSignal = all.map((s) => s.detectedAt - s.signalAt);
      const afterWindow = all.map((s) => s.detectedAt - (s.apiSignalAt + s.windowMs));
      const withDiagnosis = all.map((s) => s.resolvedAt - s.signalAt);
      const kubectl = all.map((s) => (s.baseline.verdictAt === undefined ? Infinity : s.baseline.verdictAt - s.signalAt));
      const rules = all.map((s) => s.rule ?? 'none');
      const right = rules.filter((r) => r === scenario.rule).length;
      const judged = scenario.windowed ? afterWindow : afterSignal;
      const window = scenario.windowed ? secs(median(all.map((s) => s.windowMs))) : '-';
      const kubectlText = kubectl.every(Number.isFinite)
        ? `${secs(median(kubectl))} / ${secs(p95(kubectl))}`
        : `still waiting at ${capS} s (${kubectl.filter((k) => !Number.isFinite(k)).length}/${kubectl.length})`;
      rows.push([
        scenario.label,
        `${scenario.rule} ${right}/${all.length}`,
        `${duration(median(afterSignal))} / ${duration(p95(afterSignal))}`,
        window,
        scenario.windowed ? `${duration(median(afterWindow))} / ${duration(p95(afterWindow))}` : '-',
        kubectlText,
        kubectl.every(Number.isFinite) ? ratio(median(afterSignal), median(kubectl)) : '-',
        right === all.length ? verdict(p95(judged), TARGET_MS, duration) : `wrong rule: ${rules.join(', ')}`,
      ]);
      figures[scenario.name] = {
        rule: scenario.rule,
        rulesSeen: rules,
        windowed: scenario.windowed,
        afterSignalMs: { median: median(afterSignal), p95: p95(afterSignal) },
        ...(scenario.windowed ? { windowMs: median(all.map((s) => s.windowMs)), afterWindowEndMs: { median: median(afterWindow), p95: p95(afterWindow) } } : {}),
        withDiagnosisMs: { median: median(withDiagnosis), p95: p95(withDiagnosis) },
        kubectlRolloutStatusMs: kubectl.map((k) => (Number.isFinite(k) ? k : null)),
        kubectlMessages: [...new Set(all.map((s) => s.baseline.message))],
        samples: all.map(({ baseline, ...s }) => ({ ...s, baselineVerdictAt: baseline.verdictAt ?? null })),
      };
    }
    ctx.table(
      `Failure detection: signal -> verdict, rollgate vs \`kubectl rollout status\` on the same rollout (median / p95 of ${ctx.runs}; progressDeadlineSeconds ${deadlineS})`,
      ['scenario', 'rule (right)', 'rollgate after signal', 'window', 'after window end', 'kubectl rollout status', 'ratio', 'target p95 <= 2 s'],
      rows,
      [
        'signal: the first change in the emulator\'s store that carries the failure (ms precision); verdict: the tracker\'s detectedAt.',
        'window end: the API timestamp the rule judges from (whole seconds) plus its window; readiness and unschedulable are judged after their window by design, so their target applies after the window end.',
        'ratio: rollgate / kubectl medians after the signal. The sandbox runs in the bench process, so the tracker shares its event loop with the emulator and kubelet.',
      ],
    );
    return { progressDeadlineSeconds: deadlineS, kubectlTimeoutSeconds: capS, targetMs: TARGET_MS, scenarios: figures };
  },
};
