// The transport for a spec's target: a URL as is, a Service through the API server of the environment's cluster.
import type { SmokeTarget } from '../config/smoke-schema.ts';
import { serviceProxyTransport } from './service-proxy.ts';
import { urlTransport, type FetchLike, type SmokeTransport } from './transport.ts';

export interface SmokeCluster {
  /** The kubeconfig's cluster.server. */
  apiServer: string;
  /** The environment's namespace, where the Service lives. */
  namespace: string;
  /** fetch carrying the kubeconfig's credentials. */
  fetch: FetchLike;
}

export function transportFor(target: SmokeTarget, cluster?: SmokeCluster): SmokeTransport {
  if ('url' in target) return urlTransport(target.url);
  if (!cluster) throw new Error(`the smoke target is Service ${target.service}:${target.port}, which needs a cluster connection; none was given`);
  return serviceProxyTransport({ ...cluster, service: target.service, port: target.port });
}
