// The container runtime of the sandbox kubelet: the Docker Engine API (v1.41, engine 20.10) over its unix socket.
// One thin client; what a container is for Kubernetes (names, labels, limits) is decided by the kubelet.
import { request, type IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

const API = '/v1.41';

/** A non-2xx answer of the engine; `message` is the engine's own text ("manifest for x not found: ..."). */
export class DockerError extends Error {
  override name = 'DockerError';
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

export interface ImageInfo {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Size: number;
  Config: { Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] | null; WorkingDir?: string };
}

export interface ContainerSpec {
  name: string;
  image: string;
  /** Replaces the image's ENTRYPOINT (and so drops its CMD), as a pod's `command` does. */
  entrypoint?: string[];
  /** Replaces the image's CMD, as a pod's `args` does. */
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  /** `uid[:gid]`, as securityContext.runAsUser/runAsGroup give it; the image's USER when absent. */
  user?: string;
  labels?: Record<string, string>;
  /** 'none' for a pod sandbox, 'container:<id>' to join one. */
  networkMode: string;
  /** Share the sandbox's IPC namespace too, as pods do. */
  ipcMode?: string;
  memoryBytes?: number;
  nanoCpus?: number;
  cpuShares?: number;
  /** 'host:container[:ro]' */
  binds?: string[];
}

export interface ContainerState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  Running: boolean;
  OOMKilled: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

export interface ContainerInfo {
  Id: string;
  Name: string;
  Image: string;
  State: ContainerState;
  Config: { Labels: Record<string, string> | null };
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
}

export interface LogOptions {
  tailLines?: number;
  timestamps?: boolean;
  follow?: boolean;
  sinceSeconds?: number;
}

export class DockerRuntime {
  readonly #socketPath: string;

  /** `host` is a DOCKER_HOST value: unix:///path/docker.sock */
  constructor(host: string) {
    if (!host.startsWith('unix://')) throw new Error(`DockerRuntime needs a unix:// DOCKER_HOST, got ${JSON.stringify(host)}`);
    this.#socketPath = host.slice('unix://'.length);
  }

  /** Pulls `image` (a full reference with tag or digest); resolves when the engine has it. */
  async pull(image: string): Promise<void> {
    const { name, tagOrDigest } = splitReference(image);
    const query = new URLSearchParams({ fromImage: name, tag: tagOrDigest });
    const res = await this.#call('POST', `/images/create?${query}`);
    const body = await readBody(res);
    if (res.statusCode! >= 300) throw new DockerError(res.statusCode!, engineMessage(body));
    // A failure after the pull started arrives inside the 200 stream as {"error": "..."}.
    for (const line of body.split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
      if (item.error) throw new DockerError(500, item.errorDetail?.message ?? item.error);
    }
  }

  async inspectImage(image: string): Promise<ImageInfo | undefined> {
    return this.#json<ImageInfo>('GET', `/images/${encodeURIComponent(image)}/json`, undefined, true);
  }

  async create(spec: ContainerSpec): Promise<string> {
    const body = {
      Image: spec.image,
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      Env: spec.env ?? [],
      WorkingDir: spec.workingDir ?? '',
      ...(spec.user ? { User: spec.user } : {}),
      Labels: spec.labels ?? {},
      HostConfig: {
        NetworkMode: spec.networkMode,
        ...(spec.ipcMode ? { IpcMode: spec.ipcMode } : {}),
        Memory: spec.memoryBytes ?? 0,
        // Without swap accounting the engine would let a limited container swap; pods never swap.
        ...(spec.memoryBytes ? { MemorySwap: spec.memoryBytes } : {}),
        NanoCpus: spec.nanoCpus ?? 0,
        CpuShares: spec.cpuShares ?? 0,
        Binds: spec.binds ?? [],
        LogConfig: { Type: 'json-file', Config: {} },
      },
    };
    const created = await this.#json<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(spec.name)}`, body);
    return created!.Id;
  }

  async start(id: string): Promise<void> {
    await this.#json('POST', `/containers/${id}/start`);
  }

  /** SIGTERM, then SIGKILL after `graceSeconds`, as the kubelet stops a container. */
  async stop(id: string, graceSeconds: number): Promise<void> {
    await this.#json('POST', `/containers/${id}/stop?t=${Math.max(0, Math.round(graceSeconds))}`, undefined, true);
  }

  async remove(id: string): Promise<void> {
    try {
      await this.#json('DELETE', `/containers/${id}?force=true&v=true`, undefined, true);
    } catch (err) {
      // Another removal of it (a deleted pod's worker) got there first: it is going away either way.
      if (!(err instanceof DockerError && err.statusCode === 409 && /already in progress/.test(err.message))) throw err;
    }
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    return this.#json<ContainerInfo>('GET', `/containers/${id}/json`, undefined, true);
  }

  /** Resolves with the exit code once the container is not running (at once if it already stopped). */
  async wait(id: string): Promise<number> {
    const res = await this.#json<{ StatusCode: number }>('POST', `/containers/${id}/wait?condition=not-running`);
    return res!.StatusCode;
  }

  /** Containers (running or not) carrying every one of `labels`. */
  async list(labels: Record<string, string>): Promise<ContainerSummary[]> {
    const filters = JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
    const found = await this.#json<ContainerSummary[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(filters)}`);
    return found ?? [];
  }

  /** stdout and stderr interleaved as they were written (what `kubectl logs` shows). */
  async logs(id: string, options: LogOptions = {}): Promise<Readable> {
    const query = new URLSearchParams({ stdout: '1', stderr: '1' });
    if (options.timestamps) query.set('timestamps', '1');
    if (options.follow) query.set('follow', '1');
    if (options.tailLines !== undefined) query.set('tail', String(options.tailLines));
    if (options.sinceSeconds !== undefined) query.set('since', String(Math.floor(Date.now() / 1000) - options.sinceSeconds));
    const res = await this.#call('GET', `/containers/${id}/logs?${query}`);
    if (res.statusCode! >= 300) throw new DockerError(res.statusCode!, engineMessage(await readBody(res)));
    return demultiplex(res);
  }

  /**
   * Container events (`oom`, `die`, ...) of containers carrying `labels`, as they happen; returns the unsubscribe.
   * The kubelet needs `oom`: the engine's State.OOMKilled loses a race when the OOM notice arrives after the exit.
   */
  async events(labels: Record<string, string>, actions: string[], onEvent: (event: { Action: string; id: string }) => void): Promise<() => void> {
    const filters = JSON.stringify({ type: ['container'], event: actions, label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
    const res = await this.#call('GET', `/events?filters=${encodeURIComponent(filters)}`);
    if (res.statusCode! >= 300) throw new DockerError(res.statusCode!, engineMessage(await readBody(res)));
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as { Action: string; id: string });
    });
    res.on('error', () => undefined);
    return () => res.destroy();
  }

  /** Runs `cmd` inside a running container (exec probes); output is stdout and stderr together. */
  async exec(id: string, cmd: string[], timeoutMs: number): Promise<{ exitCode: number; output: string }> {
    const created = await this.#json<{ Id: string }>('POST', `/containers/${id}/exec`, { AttachStdout: true, AttachStderr: true, Cmd: cmd });
    const res = await this.#call('POST', `/exec/${created!.Id}/start`, { Detach: false, Tty: false });
    if (res.statusCode! >= 300) throw new DockerError(res.statusCode!, engineMessage(await readBody(res)));
    const output = demultiplex(res);
    const timer = setTimeout(() => output.destroy(new Error('timeout')), timeoutMs);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of output) chunks.push(chunk as Buffer);
      const info = await this.#json<{ ExitCode: number | null }>('GET', `/exec/${created!.Id}/json`);
      return { exitCode: info?.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
    } finally {
      clearTimeout(timer);
    }
  }

  #call(method: string, path: string, body?: unknown): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          socketPath: this.#socketPath,
          method,
          path: API + path,
          headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
        },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** JSON answer; with `allowMissing`, 404 (and 304 "already stopped") give undefined instead of throwing. */
  async #json<T>(method: string, path: string, body?: unknown, allowMissing = false): Promise<T | undefined> {
    const res = await this.#call(method, path, body);
    const text = await readBody(res);
    const status = res.statusCode!;
    if (allowMissing && (status === 404 || status === 304)) return undefined;
    if (status >= 300) throw new DockerError(status, engineMessage(text));
    return text ? (JSON.parse(text) as T) : undefined;
  }
}

/**
 * 'host:5000/a/b:1' -> name 'host:5000/a/b', tag '1'. A digest is passed as the tag, which the engine accepts;
 * with both (`repo:dev@sha256:...`, how rollgate pins) the digest wins and the tag is dropped.
 */
export function splitReference(image: string): { name: string; tagOrDigest: string } {
  const at = image.indexOf('@');
  if (at >= 0) {
    const name = image.slice(0, at);
    const colon = name.lastIndexOf(':');
    return { name: colon > name.lastIndexOf('/') ? name.slice(0, colon) : name, tagOrDigest: image.slice(at + 1) };
  }
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { name: image.slice(0, colon), tagOrDigest: image.slice(colon + 1) };
  return { name: image, tagOrDigest: 'latest' };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function engineMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.trim();
  } catch {
    return body.trim();
  }
}

/** The engine frames non-TTY logs as [stream, 0, 0, 0, size(4, big endian)] + payload; this strips the frames. */
function demultiplex(res: IncomingMessage): Readable {
  const out = new PassThrough();
  let pending: Buffer = Buffer.alloc(0);
  res.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      out.write(pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  });
  res.on('end', () => out.end());
  res.on('error', (err) => out.destroy(err));
  out.on('close', () => res.destroy());
  return out;
}
