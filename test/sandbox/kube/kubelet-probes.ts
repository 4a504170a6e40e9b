// Readiness, liveness and startup probes as the kubelet's prober runs them: one worker per container instance and
// probe, the first try after initialDelaySeconds, then every periodSeconds; a result only counts after
// successThreshold / failureThreshold equal results in a row; a failed liveness or startup probe holds until the
// container restarts. Messages are the prober's ("HTTP probe failed with statuscode: 404").
import { request } from 'node:http';
import type { DockerRuntime } from './docker-runtime.ts';
import { connectToPod, podAgent, type PodNetwork } from './netns.ts';
import type { Container, IntOrString, Probe } from './workload-types.ts';

export type ProbeKind = 'Readiness' | 'Liveness' | 'Startup';

export type ProbeOutcome = { ok: true } | { ok: false; message: string };

export interface ProbeTarget {
  network: () => PodNetwork | undefined;
  container: Container;
  containerId: string;
  runtime: DockerRuntime;
}

/** Runs `probe` once against the container. */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, target.container);
    const path = probe.httpGet.path ?? '/';
    return httpProbe(target.network, port, path.startsWith('/') ? path : `/${path}`, probe.httpGet.httpHeaders ?? [], timeoutMs);
  }
  if (probe.tcpSocket) {
    const net = target.network();
    if (!net) return { ok: false, message: 'the pod has no network namespace' };
    try {
      const socket = await connectToPod(net, resolvePort(probe.tcpSocket.port, target.container), timeoutMs);
      socket.destroy();
      return { ok: true };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  }
  if (probe.exec) {
    try {
      const { exitCode, output } = await target.runtime.exec(target.containerId, probe.exec.command, timeoutMs);
      return exitCode === 0 ? { ok: true } : { ok: false, message: output };
    } catch (err) {
      const message = (err as Error).message === 'timeout' ? `command ${JSON.stringify(probe.exec.command.join(' '))} timed out` : (err as Error).message;
      return { ok: false, message };
    }
  }
  return { ok: true };
}

function resolvePort(port: IntOrString, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  return named?.containerPort ?? -1;
}

function httpProbe(
  network: () => PodNetwork | undefined,
  port: number,
  path: string,
  headers: { name: string; value: string }[],
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const url = `http://127.0.0.1:${port}${path}`;
  return new Promise((resolve) => {
    const agent = podAgent(network);
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        headers: { 'User-Agent': 'kube-probe/1.31', Accept: '*/*', ...Object.fromEntries(headers.map((h) => [h.name, h.value])) },
      },
      (res) => {
        res.resume();
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${status}` });
        req.destroy();
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `Get "${url}": ${err.message}` });
    });
    req.end();
  });
}

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: Probe;
  /** When the container instance started (ms since epoch): initialDelaySeconds counts from there. */
  startedAt: number;
  run: () => Promise<ProbeOutcome>;
  /** A result that counts (after the thresholds) and differs from the last one. */
  onResult: (success: boolean) => void;
  /** Every failed try, for the Unhealthy event. */
  onFailure: (message: string) => void;
  /** Whether to probe now (readiness and liveness wait for the startup probe). */
  active?: () => boolean;
}

export class ProbeWorker {
  readonly #o: ProbeWorkerOptions;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #last: boolean | undefined;
  #run = 0;
  #reported: boolean | undefined;
  #onHold = false;

  constructor(options: ProbeWorkerOptions) {
    this.#o = options;
    const delay = Math.max(0, options.startedAt + (options.probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
    this.#timer = setTimeout(() => void this.#tick(), delay);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    if (!this.#onHold && (this.#o.active?.() ?? true)) {
      const outcome = await this.#o.run();
      if (this.#stopped) return;
      if (!outcome.ok) this.#o.onFailure(outcome.message);
      this.#record(outcome.ok);
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), (this.#o.probe.periodSeconds ?? 10) * 1000);
  }

  #record(success: boolean): void {
    this.#run = this.#last === success ? this.#run + 1 : 1;
    this.#last = success;
    const threshold = success ? (this.#o.probe.successThreshold ?? 1) : (this.#o.probe.failureThreshold ?? 3);
    if (this.#run < threshold) return;
    if (this.#reported !== success) {
      this.#reported = success;
      this.#o.onResult(success);
    }
    if (!success && this.#o.kind !== 'Readiness') {
      this.#onHold = true;
      this.#run = 0;
    }
  }
}
