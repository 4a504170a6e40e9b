// client-node's KubeConfig, and nothing else of the package. A static named import lets the bundler keep only what
// KubeConfig reaches; `await import('@kubernetes/client-node')` would keep the whole package (every API class and
// watch/exec helper: a 17 MB chunk, about 30 MB more peak RSS per deploy). connectCluster imports this module
// lazily, so commands that never touch a cluster still never load client-node.
export { KubeConfig } from '@kubernetes/client-node';
