// The tests' own look at the sandbox registry over plain HTTP, independent of the client under test.
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Head {
  status: number;
  digest?: string;
  mediaType?: string;
}

export async function headManifest(host: string, path: string, reference: string): Promise<Head> {
  const res = await fetch(`http://${host}/v2/${path}/manifests/${reference}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
  return { status: res.status, digest: res.headers.get('docker-content-digest') ?? undefined, mediaType: res.headers.get('content-type') ?? undefined };
}

/** The image config's `config.Labels`, through the manifest of `reference`. */
export async function imageLabels(host: string, path: string, reference: string): Promise<Record<string, string>> {
  const manifest = (await (await fetch(`http://${host}/v2/${path}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } })).json()) as {
    config: { digest: string };
  };
  const config = (await (await fetch(`http://${host}/v2/${path}/blobs/${manifest.config.digest}`)).json()) as { config?: { Labels?: Record<string, string> } };
  return config.config?.Labels ?? {};
}
