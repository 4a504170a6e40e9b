// The sandbox kubelet: runs the pods bound to its node as real Docker containers and reports them the way a real
// kubelet does (container states and reasons, restarts with back-off, probes, conditions, events). One worker per
// pod syncs it whenever something changes: the pod, a container exit, a probe result, a ConfigMap or Secret, a timer.
import { mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import { DockerError, type DockerRuntime, type ImageInfo } from './docker-runtime.ts';
import { EventRecorder, type EventType } from './event-recorder.ts';
import { Backoff, goDuration } from './kubelet-backoff.ts';
import { containerCommand, containerEnv, invalidImageMessage, volumeFiles, type ConfigLookup } from './kubelet-config.ts';
import { ProbeWorker, runProbe, type ProbeKind } from './kubelet-probes.ts';
import { logContainerId, podConditions, podPhase, qosClass } from './kubelet-status.ts';
import { connectToPod, startPodSandbox, type PodNetwork, type PodSandbox } from './netns.ts';
import { nodeManifest } from './nodes.ts';
import { bytes, milliCpu } from './quantity.ts';
import { StoreError, timestamp, type ObjectStore, type StoreEvent } from './store.ts';
import type { ConfigMap, Container, ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodSpec, Secret } from './workload-types.ts';

export interface KubeletOptions {
  store: ObjectStore;
  runtime: DockerRuntime;
  /** Folder for volume files. */
  dir: string;
  /** The image of pod sandboxes: anything with `sleep` (the busybox base). */
  pauseImage: string;
  /** Labels every container of this kubelet, so kubelets sharing an engine never touch each other's. */
  clusterId: string;
  nodeName?: string;
  capacity?: { cpu?: string; memory?: string; pods?: string };
  /** Multiplies every back-off (crash loop 10 s..5 min, image pulls 10 s..5 min, sync retries 10 s): 0.1 in tests. */
  backOffScale?: number;
  /** Caps terminationGracePeriodSeconds when a container is stopped (busybox as pid 1 ignores SIGTERM). */
  maxGracePeriodSeconds?: number;
  /** How long a started container must live before it is reported running (the PLEG relist period, 1 s). */
  relistMs?: number;
}

type ResolvedKubeletOptions = Required<Omit<KubeletOptions, 'capacity'>> & { capacity: Required<NonNullable<KubeletOptions['capacity']>> };

export const DEFAULT_CAPACITY = { cpu: '2', memory: '4Gi', pods: '110' };

/** `kubectl logs` and the service proxy asked for something the kubelet cannot give (HTTP 400 on a real server). */
export class KubeletError extends Error {
  override name = 'KubeletError';
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

export interface PodLogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  follow?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
}

export class Kubelet {
  readonly nodeName: string;
  readonly options: ResolvedKubeletOptions;
  readonly #workers = new Map<string, PodWorker>();
  readonly #stops: (() => void)[] = [];
  /** Containers the kernel OOM-killed (from the engine's events), newest last. */
  readonly #oomKilled = new Set<string>();
  readonly recorder: EventRecorder;
  readonly crashBackoff: Backoff;
  readonly pullBackoff: Backoff;

  constructor(options: KubeletOptions) {
    this.nodeName = options.nodeName ?? 'sandbox';
    this.options = {
      nodeName: this.nodeName,
      backOffScale: 1,
      maxGracePeriodSeconds: 30,
      relistMs: 1000,
      ...options,
      capacity: { ...DEFAULT_CAPACITY, ...options.capacity },
    };
    const scale = this.options.backOffScale;
    this.recorder = new EventRecorder(options.store, { component: 'kubelet', host: this.nodeName });
    this.crashBackoff = new Backoff(10_000 * scale, 300_000 * scale);
    this.pullBackoff = new Backoff(10_000 * scale, 300_000 * scale);
  }

  get #o(): ResolvedKubeletOptions {
    return this.options;
  }

  /** Registers the node, clears containers left by an earlier run of this cluster, and starts syncing pods. */
  async start(): Promise<void> {
    this.#registerNode();
    await this.#removeContainers({ 'sandbox.rollgate/cluster': this.#o.clusterId });
    this.#stops.push(
      await this.#o.runtime.events({ 'sandbox.rollgate/cluster': this.#o.clusterId }, ['oom'], (e) => {
        this.#oomKilled.add(e.id);
        if (this.#oomKilled.size > 1000) this.#oomKilled.delete(this.#oomKilled.values().next().value!);
      }),
    );
    const store = this.#o.store;
    this.#stops.push(store.watch('pods', { resourceVersion: '0' }, (e) => this.#onPod(e)));
    for (const type of ['configmaps', 'secrets']) {
      this.#stops.push(
        store.watch(type, {}, (e) => {
          for (const w of this.#workers.values()) if (w.namespace === e.object.metadata.namespace) w.requestSync();
        }),
      );
    }
  }

  /** Stops syncing and removes every container of this kubelet. */
  async stop(): Promise<void> {
    for (const stop of this.#stops.splice(0)) stop();
    await Promise.all([...this.#workers.values()].map((w) => w.terminate()));
    this.#workers.clear();
    await this.#removeContainers({ 'sandbox.rollgate/cluster': this.#o.clusterId });
  }

  /** The network namespace of a running pod of this node (for probes and the service proxy). */
  podNetwork(namespace: string, name: string): PodNetwork | undefined {
    return this.#find(namespace, name)?.network();
  }

  /** A connection to `port` on the pod's loopback. */
  async connect(namespace: string, name: string, port: number): Promise<Duplex> {
    const net = this.podNetwork(namespace, name);
    if (!net) throw new KubeletError(503, `pod ${namespace}/${name} has no running sandbox on node "${this.nodeName}"`);
    return connectToPod(net, port);
  }

  /** What `GET .../pods/NAME/log` streams. */
  async logs(namespace: string, name: string, options: PodLogOptions = {}): Promise<Readable> {
    const worker = this.#find(namespace, name);
    if (!worker) throw new KubeletError(404, `pod "${name}" is not running on node "${this.nodeName}"`);
    const names = worker.pod.spec.containers.map((c) => c.name);
    const container = options.container ?? (names.length === 1 ? names[0] : undefined);
    if (!container) throw new KubeletError(400, `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
    const status = worker.status(container);
    if (!status) throw new KubeletError(400, `container ${container} is not valid for pod ${name}`);
    const target = logContainerId(status, name, options.previous ?? false);
    if ('error' in target) throw new KubeletError(400, target.error);
    return this.#o.runtime.logs(target.id, options);
  }

  /** Whether the kernel killed container `id` for memory: the engine's flag, or its `oom` event (which may come late). */
  async wasOomKilled(id: string, stateSaysSo: boolean, exitCode: number): Promise<boolean> {
    if (stateSaysSo || this.#oomKilled.has(id)) return true;
    if (exitCode !== 137) return false;
    for (let i = 0; i < 10 && !this.#oomKilled.has(id); i++) await delay(50);
    return this.#oomKilled.has(id);
  }

  #find(namespace: string, name: string): PodWorker | undefined {
    for (const w of this.#workers.values()) if (w.namespace === namespace && w.name === name && !w.terminated) return w;
    return undefined;
  }

  #onPod(event: StoreEvent): void {
    const pod = event.object as Pod;
    const uid = pod.metadata.uid ?? '';
    const mine = pod.spec?.nodeName === this.nodeName;
    const worker = this.#workers.get(uid);
    if (event.type === 'DELETED' || !mine) {
      if (worker) {
        this.#workers.delete(uid);
        void worker.terminate();
      }
      return;
    }
    if (worker) worker.update(pod);
    else {
      const w = new PodWorker(this, pod);
      this.#workers.set(uid, w);
      w.requestSync();
    }
  }

  #registerNode(): void {
    const store = this.#o.store;
    if (!store.get('nodes', '', this.nodeName)) store.create('nodes', nodeManifest(this.nodeName, this.#o.capacity));
  }

  async #removeContainers(labels: Record<string, string>): Promise<void> {
    const runtime = this.#o.runtime;
    for (const c of await runtime.list(labels)) await runtime.remove(c.Id);
  }
}

/** One container of a pod: its current and previous instance, and what the kubelet reports about it. */
interface ContainerRecord {
  spec: Container;
  /** An init container: runs to completion, in order, before the others start. */
  init: boolean;
  status: ContainerStatus;
  /** Instances created so far; restartCount is this minus one. */
  attempts: number;
  currentId?: string;
  previousId?: string;
  /** The spec the current instance was created from (a changed spec restarts it). */
  createdFrom?: string;
  /** The current instance has exited and the kubelet has not acted on it yet. */
  exited?: ContainerStateTerminated;
  finishedAt?: number;
  probes: ProbeWorker[];
  ready: boolean;
  /** Startup probe passed (or none): readiness and liveness run only after this. */
  started: boolean;
  /** Why the current instance must be killed (failed liveness/startup probe, changed spec). */
  kill?: string;
}

class PodWorker {
  pod: Pod;
  terminated = false;
  readonly #kubelet: Kubelet;
  readonly #containers = new Map<string, ContainerRecord>();
  #sandbox: PodSandbox | undefined;
  #startTime = timestamp();
  #dirty = false;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  #done = false;
  #stopped: Promise<void> | undefined;

  constructor(kubelet: Kubelet, pod: Pod) {
    this.#kubelet = kubelet;
    this.pod = pod;
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? 'default';
  }

  get name(): string {
    return this.pod.metadata.name ?? '';
  }

  get #uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  get #o() {
    return this.#kubelet.options;
  }

  network(): PodNetwork | undefined {
    return this.#sandbox && !this.terminated ? this.#sandbox : undefined;
  }

  status(container: string): ContainerStatus | undefined {
    return this.#containers.get(container)?.status;
  }

  update(pod: Pod): void {
    this.pod = pod;
    this.requestSync();
  }

  requestSync(): void {
    if (this.terminated || this.#done) return;
    this.#dirty = true;
    if (!this.#running) void this.#loop();
  }

  /** The pod is gone from the API: stop everything it ran. */
  terminate(): Promise<void> {
    this.terminated = true;
    clearTimeout(this.#timer);
    this.#stopped ??= (async () => {
      while (this.#running) await new Promise((r) => setTimeout(r, 20));
      for (const rec of this.#containers.values()) {
        if (rec.currentId && !rec.exited) this.#record(rec.spec, 'Normal', 'Killing', `Stopping container ${rec.spec.name}`);
      }
      await this.#teardown(true);
    })();
    return this.#stopped;
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (this.#dirty && !this.terminated) {
        this.#dirty = false;
        try {
          await this.#sync();
        } catch (err) {
          if (this.terminated) break;
          console.error(`kubelet: sync of pod ${this.namespace}/${this.name} failed:`, err);
          this.#retryLater();
        }
      }
    } finally {
      this.#running = false;
    }
  }

  #syncAt(at: number): void {
    if (this.terminated) return;
    if (this.#timer && this.#timerAt <= at && this.#timerAt > Date.now()) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.requestSync(), Math.max(0, at - Date.now()));
  }

  /** The pod worker's requeue after an error: 10 s on a real node (scaled here). */
  #retryLater(): void {
    this.#syncAt(Date.now() + 10_000 * this.#o.backOffScale);
  }

  #record(container: Container | undefined, type: EventType, reason: string, message: string): void {
    const list = container && this.pod.spec.initContainers?.some((c) => c.name === container.name) ? 'initContainers' : 'containers';
    const fieldPath = container ? `spec.${list}{${container.name}}` : undefined;
    this.#kubelet.recorder.event(this.pod, type, reason, message, fieldPath);
  }

  async #sync(): Promise<void> {
    const inits = this.pod.spec.initContainers ?? [];
    for (const c of inits) this.#containerRecord(c, true);
    for (const c of this.pod.spec.containers) this.#containerRecord(c);
    this.#publish();
    if (!(await this.#mountVolumes())) return;
    if (!(await this.#ensureSandbox())) return;
    await this.#syncContainers(inits, this.pod.spec.containers);
    this.#publish();
    const phase = podPhase(this.pod.spec, this.#statuses(false), this.#statuses(true));
    if (phase === 'Succeeded' || phase === 'Failed') {
      // A finished pod keeps its containers (for logs) but not its sandbox, as on a real node.
      this.#done = true;
      await this.#teardown(false);
    }
  }

  /** Init containers one after the other, each to a successful exit; then the others. */
  async #syncContainers(inits: Container[], containers: Container[]): Promise<void> {
    for (const c of inits) {
      if (this.terminated) return;
      const rec = this.#containerRecord(c, true);
      await this.#syncContainer(rec);
      this.#publish();
      if (rec.exited?.exitCode !== 0) return;
    }
    for (const c of containers) {
      if (this.terminated) return;
      await this.#syncContainer(this.#containerRecord(c));
      this.#publish();
    }
  }

  #containerRecord(spec: Container, init = false): ContainerRecord {
    let rec = this.#containers.get(spec.name);
    if (!rec) {
      const initializing = (this.pod.spec.initContainers ?? []).length > 0;
      rec = {
        spec,
        init,
        status: {
          name: spec.name,
          state: { waiting: { reason: initializing ? 'PodInitializing' : 'ContainerCreating' } },
          lastState: {},
          ready: false,
          restartCount: 0,
          image: imageWithTag(spec.image),
          imageID: '',
          started: false,
        },
        attempts: 0,
        probes: [],
        ready: false,
        started: false,
      };
      this.#containers.set(spec.name, rec);
    }
    if (rec.createdFrom && rec.currentId && !rec.exited && rec.createdFrom !== JSON.stringify(spec) && !rec.kill) {
      rec.kill = `Container ${spec.name} definition changed, will be restarted`;
    }
    rec.spec = spec;
    return rec;
  }

  /** Writes ConfigMap/Secret volume files; false (FailedMount, pod stays ContainerCreating) when one is missing. */
  async #mountVolumes(): Promise<boolean> {
    const lookup = this.#lookup();
    for (const volume of this.pod.spec.volumes ?? []) {
      const files = volumeFiles(this.pod, volume, lookup);
      if (!files.ok) {
        this.#record(undefined, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${volume.name}" : ${files.message}`);
        this.#publish();
        this.#retryLater();
        return false;
      }
      const dir = this.#volumeDir(volume.name);
      mkdirSync(dir, { recursive: true });
      for (const file of files.value) {
        const path = join(dir, file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
        chmodSync(path, file.mode);
      }
    }
    return true;
  }

  #volumeDir(volume: string): string {
    return join(this.#o.dir, 'pods', this.#uid, 'volumes', volume);
  }

  #lookup(): ConfigLookup {
    const store = this.#o.store;
    return {
      configMap: (ns, name) => store.get<ConfigMap>('configmaps', ns, name),
      secret: (ns, name) => store.get<Secret>('secrets', ns, name),
    };
  }

  #labels(container?: string): Record<string, string> {
    return {
      'sandbox.rollgate/cluster': this.#o.clusterId,
      'io.kubernetes.pod.name': this.name,
      'io.kubernetes.pod.namespace': this.namespace,
      'io.kubernetes.pod.uid': this.#uid,
      'io.kubernetes.container.name': container ?? 'POD',
    };
  }

  async #ensureSandbox(): Promise<boolean> {
    const runtime = this.#o.runtime;
    if (this.#sandbox) {
      const info = await runtime.inspect(this.#sandbox.id);
      if (info?.State.Running) return true;
      // The network namespace died under the pod: a real kubelet kills the pod's containers and starts over.
      this.#record(undefined, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      await this.#teardown(false);
    }
    try {
      if (!(await runtime.inspectImage(this.#o.pauseImage))) await runtime.pull(this.#o.pauseImage);
      this.#sandbox = await startPodSandbox(runtime, {
        name: `k8s_POD_${this.name}_${this.namespace}_${this.#uid}_0`,
        image: this.#o.pauseImage,
        labels: this.#labels(),
      });
      return true;
    } catch (err) {
      this.#record(undefined, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
      this.#retryLater();
      return false;
    }
  }

  async #syncContainer(rec: ContainerRecord): Promise<void> {
    if (rec.currentId && !rec.exited) {
      if (!rec.kill) return;
      const message = rec.kill;
      rec.kill = undefined;
      this.#record(rec.spec, 'Normal', 'Killing', message);
      const id = rec.currentId;
      await this.#o.runtime.stop(id, this.#gracePeriod());
      await this.#onExit(rec, id);
      if (message.includes('definition changed')) {
        await this.#startContainer(rec);
        return;
      }
    }
    if (rec.exited) {
      if (!this.#shouldRestart(rec)) {
        rec.status.state = { terminated: rec.exited };
        return;
      }
      const key = `${this.#uid}/${rec.spec.name}`;
      const finishedAt = rec.finishedAt ?? Date.now();
      const backoff = this.#kubelet.crashBackoff;
      if (backoff.isInBackOffSince(key, finishedAt)) {
        const pod = `${this.name}_${this.namespace}(${this.#uid})`;
        this.#record(rec.spec, 'Warning', 'BackOff', `Back-off restarting failed container ${rec.spec.name} in pod ${pod}`);
        rec.status.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${goDuration(backoff.get(key))} restarting failed container=${rec.spec.name} pod=${pod}`,
          },
        };
        rec.status.lastState = { terminated: rec.exited };
        this.#syncAt(backoff.endsAt(key, finishedAt) + 1);
        return;
      }
      backoff.next(key, finishedAt);
    } else if (rec.currentId) return;
    await this.#startContainer(rec);
  }

  #shouldRestart(rec: ContainerRecord): boolean {
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    const exitCode = rec.exited?.exitCode ?? 0;
    // A failed init container is retried unless the pod never restarts; a finished one is done.
    if (rec.init) return exitCode !== 0 && policy !== 'Never';
    return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  }

  #gracePeriod(): number {
    return Math.min(this.pod.spec.terminationGracePeriodSeconds ?? 30, this.#o.maxGracePeriodSeconds);
  }

  #setWaiting(rec: ContainerRecord, reason: string, message?: string): void {
    rec.status.state = { waiting: { reason, ...(message ? { message } : {}) } };
    if (rec.exited) rec.status.lastState = { terminated: rec.exited };
  }

  async #startContainer(rec: ContainerRecord): Promise<void> {
    const c = rec.spec;
    const image = await this.#ensureImage(rec);
    if (!image || this.terminated) return;
    const env = containerEnv(this.pod, c, this.#lookup());
    if (!env.ok) {
      this.#record(c, 'Warning', 'Failed', `Error: ${env.message}`);
      this.#setWaiting(rec, 'CreateContainerConfigError', env.message);
      this.#retryLater();
      return;
    }
    const runtime = this.#o.runtime;
    const attempt = rec.attempts;
    const name = `k8s_${c.name}_${this.name}_${this.namespace}_${this.#uid}_${attempt}`;
    let id: string;
    try {
      id = await runtime.create({
        name,
        image: imageWithTag(c.image),
        ...containerCommand(c, env.value),
        env: env.value,
        ...(c.workingDir ? { workingDir: c.workingDir } : {}),
        ...runAs(c, this.pod.spec),
        labels: this.#labels(c.name),
        networkMode: `container:${this.#sandbox!.id}`,
        ipcMode: `container:${this.#sandbox!.id}`,
        ...this.#resources(c),
        binds: this.#binds(c),
      });
    } catch (err) {
      const message = (err as Error).message;
      this.#record(c, 'Warning', 'Failed', `Error: ${message}`);
      this.#setWaiting(rec, 'CreateContainerError', message);
      this.#retryLater();
      return;
    }
    this.#record(c, 'Normal', 'Created', `Created container: ${c.name}`);
    // Keep one dead instance for `kubectl logs --previous`, as the kubelet's container GC does.
    if (rec.previousId) await runtime.remove(rec.previousId);
    if (rec.currentId) {
      rec.previousId = rec.currentId;
      rec.status.lastState = rec.exited ? { terminated: rec.exited } : rec.status.lastState;
    }
    rec.currentId = id;
    rec.createdFrom = JSON.stringify(c);
    rec.exited = undefined;
    rec.attempts++;
    rec.status.restartCount = rec.attempts - 1;
    rec.status.containerID = `docker://${id}`;
    rec.status.imageID = imageId(c.image, image);
    try {
      await runtime.start(id);
    } catch (err) {
      const message = `failed to start container "${id}": Error response from daemon: ${(err as Error).message}`;
      this.#record(c, 'Warning', 'Failed', `Error: ${message.replaceAll(id, c.name)}`);
      const info = await runtime.inspect(id);
      const now = timestamp();
      rec.exited = {
        exitCode: info?.State.ExitCode || 128,
        reason: 'ContainerCannotRun',
        message: info?.State.Error || (err as Error).message,
        startedAt: now,
        finishedAt: now,
        containerID: `docker://${id}`,
      };
      rec.finishedAt = Date.now();
      this.#setWaiting(rec, 'RunContainerError', message);
      this.#retryLater();
      return;
    }
    this.#record(c, 'Normal', 'Started', `Started container ${c.name}`);
    const exited = runtime.wait(id);
    void exited.then(
      () => this.#onExit(rec, id).then(() => this.requestSync()),
      () => undefined,
    );
    // A real kubelet learns container states from its PLEG relist (every second): a container that dies at once
    // is never seen running, so it is never briefly Ready either.
    const early = await Promise.race([exited.then(() => true, () => true), delay(this.#o.relistMs).then(() => false)]);
    if (early) {
      await this.#onExit(rec, id);
      return;
    }
    const info = await runtime.inspect(id);
    const startedAt = info ? Date.parse(info.State.StartedAt) : Date.now();
    rec.status.state = { running: { startedAt: timestamp(new Date(startedAt)) } };
    rec.ready = !c.readinessProbe;
    rec.started = !c.startupProbe;
    this.#startProbes(rec, id, startedAt);
  }

  async #onExit(rec: ContainerRecord, id: string): Promise<void> {
    if (rec.currentId !== id || rec.exited) return;
    const info = await this.#o.runtime.inspect(id);
    if (rec.currentId !== id || rec.exited || !info) return;
    for (const p of rec.probes.splice(0)) p.stop();
    const s = info.State;
    const oom = await this.#kubelet.wasOomKilled(id, s.OOMKilled, s.ExitCode);
    if (rec.currentId !== id || rec.exited) return;
    rec.exited = {
      exitCode: s.ExitCode,
      reason: oom ? 'OOMKilled' : s.ExitCode === 0 ? 'Completed' : 'Error',
      startedAt: timestamp(new Date(s.StartedAt)),
      finishedAt: timestamp(new Date(s.FinishedAt)),
      containerID: `docker://${id}`,
    };
    rec.finishedAt = Date.parse(s.FinishedAt);
    rec.ready = false;
    rec.started = false;
    rec.status.state = { terminated: rec.exited };
    this.#publish();
  }

  async #ensureImage(rec: ContainerRecord): Promise<ImageInfo | undefined> {
    const c = rec.spec;
    const runtime = this.#o.runtime;
    const image = imageWithTag(c.image);
    const policy = c.imagePullPolicy ?? (/:latest$/.test(image) && !c.image.includes('@') ? 'Always' : 'IfNotPresent');
    const invalid = invalidImageMessage(c.image);
    if (invalid) {
      this.#record(c, 'Warning', 'InspectFailed', invalid);
      this.#record(c, 'Warning', 'Failed', 'Error: InvalidImageName');
      this.#setWaiting(rec, 'InvalidImageName', invalid);
      this.#retryLater();
      return undefined;
    }
    const present = await runtime.inspectImage(image);
    if (policy !== 'Always' && present) {
      this.#record(c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      return present;
    }
    if (policy === 'Never') {
      const message = `Container image "${c.image}" is not present with pull policy of Never`;
      this.#record(c, 'Warning', 'ErrImageNeverPull', message);
      this.#setWaiting(rec, 'ErrImageNeverPull', message);
      this.#retryLater();
      return undefined;
    }
    const key = `${this.#uid}_${c.image}`;
    const backoff = this.#kubelet.pullBackoff;
    if (backoff.isInBackOffSinceUpdate(key)) {
      const message = `Back-off pulling image "${c.image}"`;
      this.#record(c, 'Normal', 'BackOff', message);
      this.#record(c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      this.#setWaiting(rec, 'ImagePullBackOff', message);
      this.#syncAt(backoff.endsAtSinceUpdate(key) + 1);
      return undefined;
    }
    this.#record(c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    const started = Date.now();
    try {
      await runtime.pull(image);
    } catch (err) {
      const message =
        err instanceof DockerError ? `rpc error: code = Unknown desc = Error response from daemon: ${err.message}` : (err as Error).message;
      this.#record(c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${message}`);
      backoff.next(key, Date.now());
      this.#record(c, 'Warning', 'Failed', 'Error: ErrImagePull');
      this.#setWaiting(rec, 'ErrImagePull', message);
      this.#publish();
      // The pod worker comes back soon after an error and then finds the pull in back-off.
      this.#syncAt(Date.now() + Math.min(1000, backoff.get(key) / 2));
      return undefined;
    }
    const pulled = await runtime.inspectImage(image);
    const took = goDuration(Date.now() - started);
    this.#record(c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${pulled?.Size ?? 0} bytes.`);
    return pulled;
  }

  #resources(c: Container): { memoryBytes?: number; nanoCpus?: number; cpuShares?: number } {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    const out: { memoryBytes?: number; nanoCpus?: number; cpuShares?: number } = {};
    if (limits.memory) out.memoryBytes = bytes(limits.memory);
    if (limits.cpu) out.nanoCpus = milliCpu(limits.cpu) * 1_000_000;
    // kubelet milliCPUToShares: 1024 shares per core, at least 2.
    out.cpuShares = Math.max(2, Math.floor((milliCpu(requests.cpu) * 1024) / 1000));
    return out;
  }

  #binds(c: Container): string[] {
    const volumes = new Map((this.pod.spec.volumes ?? []).map((v) => [v.name, v]));
    const binds: string[] = [];
    for (const m of c.volumeMounts ?? []) {
      const volume = volumes.get(m.name);
      if (!volume) continue;
      const dir = this.#volumeDir(m.name);
      mkdirSync(dir, { recursive: true });
      // A real kubelet makes an emptyDir world-writable, so a non-root container can write to it.
      if (volume.emptyDir) chmodSync(dir, 0o777);
      // ConfigMap and Secret volumes are read-only on a real node whatever the mount says.
      const readOnly = m.readOnly || Boolean(volume.configMap || volume.secret);
      binds.push(`${m.subPath ? join(dir, m.subPath) : dir}:${m.mountPath}${readOnly ? ':ro' : ''}`);
    }
    return binds;
  }

  #startProbes(rec: ContainerRecord, id: string, startedAt: number): void {
    const c = rec.spec;
    const target = { network: () => this.network(), container: c, containerId: id, runtime: this.#o.runtime };
    const add = (kind: ProbeKind, probe: NonNullable<Container['readinessProbe']>, active: () => boolean) => {
      rec.probes.push(
        new ProbeWorker({
          kind,
          probe,
          startedAt,
          active,
          run: () => runProbe(probe, target),
          onFailure: (message) => {
            if (rec.currentId === id && !rec.exited) this.#record(c, 'Warning', 'Unhealthy', `${kind} probe failed: ${message}`);
          },
          onResult: (success) => this.#onProbeResult(rec, id, kind, success),
        }),
      );
    };
    if (c.startupProbe) add('Startup', c.startupProbe, () => !rec.started);
    if (c.readinessProbe) add('Readiness', c.readinessProbe, () => rec.started);
    if (c.livenessProbe) add('Liveness', c.livenessProbe, () => rec.started);
  }

  #onProbeResult(rec: ContainerRecord, id: string, kind: ProbeKind, success: boolean): void {
    if (rec.currentId !== id || rec.exited || this.terminated) return;
    if (kind === 'Readiness') rec.ready = success;
    else if (kind === 'Startup' && success) {
      rec.started = true;
      rec.ready = !rec.spec.readinessProbe;
    } else if (!success) {
      rec.kill = `Container ${rec.spec.name} failed ${kind.toLowerCase()} probe, will be restarted`;
      this.requestSync();
    }
    this.#publish();
  }

  #statuses(init: boolean): ContainerStatus[] {
    const out: ContainerStatus[] = [];
    for (const c of (init ? this.pod.spec.initContainers : this.pod.spec.containers) ?? []) {
      const rec = this.#containers.get(c.name);
      if (!rec) continue;
      const running = Boolean(rec.status.state.running);
      // An init container counts as ready once it has completed.
      const ready = init ? rec.status.state.terminated?.exitCode === 0 : running && rec.ready;
      out.push({ ...rec.status, ready, started: running && rec.started });
    }
    return out;
  }

  /** Writes the pod's status as computed now (the store skips a write that changes nothing). */
  #publish(): void {
    if (this.terminated) return;
    const store = this.#o.store;
    const statuses = this.#statuses(false).map(orderStatus);
    const initStatuses = this.#statuses(true).map(orderStatus);
    const phase = podPhase(this.pod.spec, statuses, initStatuses);
    try {
      store.mutate<Pod>('pods', this.namespace, this.name, (p) => {
        if (p.metadata.uid !== this.#uid) return p;
        const previous = p.status?.conditions ?? [];
        p.status = {
          ...p.status,
          phase,
          conditions: podConditions({ spec: p.spec, statuses, initStatuses, phase, sandboxReady: Boolean(this.#sandbox), previous, now: timestamp() }),
          hostIP: '127.0.0.1',
          hostIPs: [{ ip: '127.0.0.1' }],
          startTime: p.status?.startTime ?? this.#startTime,
          ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
          containerStatuses: statuses,
          qosClass: qosClass(p.spec.containers),
        };
        this.pod = p;
        return p;
      });
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'NotFound')) throw err;
    }
  }

  /** Stops the pod's containers; with `all`, also removes them, their logs and the volume files. */
  async #teardown(all: boolean): Promise<void> {
    const runtime = this.#o.runtime;
    for (const rec of this.#containers.values()) {
      for (const p of rec.probes.splice(0)) p.stop();
      if (all) {
        for (const id of [rec.currentId, rec.previousId]) if (id) await runtime.remove(id);
      }
    }
    if (this.#sandbox) {
      await runtime.remove(this.#sandbox.id);
      this.#sandbox = undefined;
    }
    if (all) {
      this.#kubelet.crashBackoff.forget(`${this.#uid}/`);
      this.#kubelet.pullBackoff.forget(`${this.#uid}_`);
      rmSync(join(this.#o.dir, 'pods', this.#uid), { recursive: true, force: true });
    }
  }
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The image as a runtime reports it: a tag is added when there is neither tag nor digest. */
function imageWithTag(image: string): string {
  if (image.includes('@')) return image;
  const slash = image.lastIndexOf('/');
  return image.lastIndexOf(':') > slash ? image : `${image}:latest`;
}

/** cri-dockerd's imageID: docker-pullable://repo@sha256:... when the image came from a registry. */
function imageId(spec: string, info: ImageInfo): string {
  const repo = spec.split('@')[0]!.replace(/:[^/:]+$/, '');
  const digest = (info.RepoDigests ?? []).find((d) => d.startsWith(`${repo}@`)) ?? info.RepoDigests?.[0];
  return digest ? `docker-pullable://${digest}` : `docker://${info.Id}`;
}

/** Key order of a real containerStatus, so a YAML dump reads like one. */
function orderStatus(s: ContainerStatus): ContainerStatus {
  const state = (x: ContainerState): ContainerState => JSON.parse(JSON.stringify(x)) as ContainerState;
  return {
    ...(s.containerID ? { containerID: s.containerID } : {}),
    image: s.image,
    imageID: s.imageID,
    lastState: state(s.lastState),
    name: s.name,
    ready: s.ready,
    restartCount: s.restartCount,
    started: s.started ?? false,
    state: state(s.state),
  };
}

/** The container's securityContext over the pod's, as the kubelet merges them. */
function runAs(c: Container, pod: PodSpec): { user?: string } {
  const uid = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const gid = c.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
  return uid === undefined ? {} : { user: gid === undefined ? String(uid) : `${uid}:${gid}` };
}
