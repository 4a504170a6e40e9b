// The bad-input corpus: one mistake per case, made in a copy of test/corpus/base, and where rollgate must point.
// Every case exits 2 and writes nothing (corpus.test.ts checks both against the stand-ins); `at` is the file, line
// and field the message must name. Flags and action inputs live in no file: there `at` is [null, null, flag].
import { replace, type FileChange } from './harness.ts';

export const KINDS = ['config', 'manifest', 'smoke', 'image', 'version', 'input'] as const;
export type Kind = (typeof KINDS)[number];

export interface Case {
  kind: Kind;
  /** The mistake, as a person would say it. */
  name: string;
  /** The CLI's arguments; default DEPLOY. */
  argv?: readonly string[];
  /** Run the action's entry with these inputs instead of the CLI. */
  action?: Record<string, string>;
  files?: Record<string, FileChange>;
  /** Process environment beyond the harness's. */
  env?: Record<string, string>;
  /** [file in the project, line, field]; null where there is none (flags and inputs have no file). */
  at: readonly [file: string | null, line: number | null, field: string | null];
  /** Part of the message. */
  says: string;
  /** The stand-ins the run may read before refusing: a problem only they can show. Nothing by default. */
  reads?: ReadonlyArray<'registry' | 'cluster'>;
}

const Y = 'rollgate.yml';
const WEB = 'k8s/web.yaml';
const SETTINGS = 'k8s/config.yaml';

/** A deploy as a release pipeline runs it: build, then deploy (no Docker engine is given, so nothing can build). */
export const DEPLOY = ['deploy', '--env', 'dev', '--version', 'v1.0.0'] as const;
/** A deploy of the version tags already pushed: a mistake it misses goes on to the cluster, where writes are counted. */
export const DEPLOY_PUSHED = [...DEPLOY, '--no-build'] as const;

const config = (from: string, to: string) => ({ [Y]: replace(from, to) });
const web = (from: string, to: string) => ({ [WEB]: replace(from, to) });
const settings = (from: string, to: string) => ({ [SETTINGS]: replace(from, to) });
const addStep = (step: string) => ({ [Y]: (text: string) => `${text}${step}` });
const image = (written: string) => web('image: registry.corpus.test/corpus/web:dev', `image: ${written}`);
const LONG_VERSION = `v1.0.0-${'a'.repeat(115)}`; // 122 characters: a tag of its own, but not with -{sha} after it

export const CASES: readonly Case[] = [
  // rollgate.yml: syntax, keys, values, paths, variables; the file and the field that is wrong.
  { kind: 'config', name: 'a key indented one space short', files: config('    namespace: corpus-dev', '   namespace: corpus-dev'), at: [Y, 17, 'environments.dev.namespace'], says: 'YAML: All mapping items must start at the same column' },
  { kind: 'config', name: 'a flow list left open', files: config('"{major}.{minor}"]', '"{major}.{minor}"'), at: [Y, 9, 'tags'], says: 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
  { kind: 'config', name: 'a key written twice', files: config('    namespace: corpus-dev\n', '    namespace: corpus-dev\n    namespace: corpus-stg\n'), at: [Y, 18, 'environments.dev.namespace'], says: 'YAML: Map keys must be unique' },
  { kind: 'config', name: 'a misspelt top-level key', files: config('rollout:', 'rolout:'), at: [Y, 23, 'rolout'], says: 'unknown key "rolout" (did you mean "rollout"?)' },
  { kind: 'config', name: 'a misspelt image key', files: config('    context: app\n', '    context: app\n    dockerfle: app/Dockerfile\n'), at: [Y, 7, 'images.web.dockerfle'], says: 'unknown key "dockerfle" (did you mean "dockerfile"?)' },
  { kind: 'config', name: 'an image without a repository', files: config('    repository: registry.corpus.test/corpus/web\n', ''), at: [Y, 4, 'images.web.repository'], says: 'missing; every image needs a repository' },
  { kind: 'config', name: 'a build context that does not exist', files: config('context: app', 'context: application'), at: [Y, 6, 'images.web.context'], says: 'build context "application" does not exist' },
  { kind: 'config', name: 'a Dockerfile that does not exist', files: config('    context: app\n', '    context: app\n    dockerfile: app/Containerfile\n'), at: [Y, 7, 'images.web.dockerfile'], says: 'Dockerfile "app/Containerfile" does not exist' },
  { kind: 'config', name: 'a build target the Dockerfile has no stage for', files: config('target: runtime', 'target: runtim'), at: [Y, 7, 'images.web.target'], says: 'the Dockerfile has no stage "runtim" (its stages: runtime)' },
  { kind: 'config', name: 'a platform without its os', files: config('    network: none\n', '    network: none\n    platforms: [amd64]\n'), at: [Y, 9, 'images.web.platforms[0]'], says: '"amd64" is not a platform' },
  { kind: 'config', name: 'a build network docker does not offer', files: config('network: none', 'network: bridge'), at: [Y, 8, 'images.web.network'], says: '"bridge" is not one of default, host, none' },
  { kind: 'config', name: 'a build argument name with a dash', files: config('    network: none\n', '    network: none\n    buildArgs: { base-image: busybox }\n'), at: [Y, 9, 'images.web.buildArgs.base-image'], says: '"base-image" cannot be a build argument name' },
  { kind: 'config', name: 'a build argument from a variable that is not set', files: config('    network: none\n', '    network: none\n    buildArgs: { BASE_IMAGE: "${BASE_IMAGE}" }\n'), at: [Y, 9, 'images.web.buildArgs.BASE_IMAGE'], says: 'environment variable BASE_IMAGE is not set' },
  { kind: 'config', name: 'a nightly rebuild with a build argument variable unset', argv: ['rebuild', '--env', 'dev'], files: config('    network: none\n', '    network: none\n    buildArgs: { BASE_IMAGE: "${BASE_IMAGE}" }\n'), at: [Y, 9, 'images.web.buildArgs.BASE_IMAGE'], says: 'environment variable BASE_IMAGE is not set' },
  { kind: 'config', name: 'two images pushing to one repository', files: config('    network: none\n', '    network: none\n  worker:\n    repository: registry.corpus.test/corpus/web\n    context: app\n'), at: [Y, 10, 'images.worker.repository'], says: 'images web and worker push to the same repository' },
  { kind: 'config', name: 'a tag template with an unknown placeholder', files: config('"{major}.{minor}"', '"{major}.{minr}"'), at: [Y, 9, 'tags[1]'], says: 'unknown placeholder {minr}' },
  { kind: 'config', name: 'a tag template listed twice', files: config('"{major}.{minor}"', '"{version}"'), at: [Y, 9, 'tags[1]'], says: '"{version}" is listed twice' },
  { kind: 'config', name: 'a target tag that is also a version tag', files: config('"{major}.{minor}"', '"dev"'), at: [Y, 16, 'environments.dev.targetTag'], says: '"dev" is also a version tag in tags; moving it would overwrite that tag' },
  { kind: 'config', name: 'another environment with the same target tag', files: config('targetTag: stg', 'targetTag: dev'), at: [Y, 20, 'environments.stg.targetTag'], says: '"dev" is also the target tag of environment dev' },
  { kind: 'config', name: 'an environment name with capitals', files: config('  stg:\n', '  Staging:\n'), at: [Y, 19, 'environments.Staging'], says: '"Staging" cannot name an environment' },
  { kind: 'config', name: 'an environment without a namespace', files: config('    namespace: corpus-dev\n', ''), at: [Y, 15, 'environments.dev.namespace'], says: 'missing; environment dev needs the namespace it deploys to' },
  { kind: 'config', name: 'a namespace with an underscore', files: config('namespace: corpus-dev', 'namespace: corpus_dev'), at: [Y, 17, 'environments.dev.namespace'], says: '"corpus_dev" is not a namespace name' },
  { kind: 'config', name: 'a namespace the cluster does not have', argv: DEPLOY_PUSHED, files: config('namespace: corpus-dev', 'namespace: corpus-qa'), at: [Y, 17, 'environments.dev.namespace'], says: 'namespace "corpus-qa" does not exist in the cluster (context sandbox) and the manifests do not declare it', reads: ['registry', 'cluster'] },
  { kind: 'config', name: 'an overlay path that does not exist', files: config('manifests: [k8s]', 'manifests: [k8s, "k8s/overlays/${env}"]'), at: [Y, 13, 'manifests[1]'], says: 'manifest path "k8s/overlays/dev" does not exist' },
  { kind: 'config', name: 'a manifest path naming a Dockerfile', files: config('manifests: [k8s]', 'manifests: [k8s, app/Dockerfile]'), at: [Y, 13, 'manifests[1]'], says: 'manifest path "app/Dockerfile" is not a manifest' },
  { kind: 'config', name: 'manifests that hold no objects', argv: DEPLOY_PUSHED, files: { [WEB]: '', [SETTINGS]: '# nothing yet\n' }, at: [Y, 15, 'environments.dev.manifests'], says: 'environment dev: the manifests hold no objects' },
  { kind: 'config', name: 'a timeout without a unit', files: config('timeout: 3s', 'timeout: 3'), at: [Y, 24, 'rollout.timeout'], says: '"3" has no unit; write 3s, 3m or 3ms' },
  { kind: 'config', name: 'a negative restart allowance', files: config('  lockTimeout: 5s\n', '  lockTimeout: 5s\n  allowRestarts: -1\n'), at: [Y, 26, 'rollout.allowRestarts'], says: 'must be 0 or more, got -1' },
  { kind: 'config', name: 'a kube context from a variable that is not set', files: config('    targetTag: dev\n', '    targetTag: dev\n    kubeContext: ${KUBE_CONTEXT_DEV}\n'), at: [Y, 17, 'environments.dev.kubeContext'], says: 'environment variable KUBE_CONTEXT_DEV is not set' },
  { kind: 'config', name: 'an API server that is not a URL', files: config('    apiServer: ${API_SERVER}\n  stg:', '    apiServer: 127.0.0.1:6443\n  stg:'), at: [Y, 18, 'environments.dev.apiServer'], says: '"127.0.0.1:6443" is not an http(s) URL' },
  { kind: 'config', name: 'a registry endpoint that is not a URL', files: config('endpoint: "${REGISTRY_URL}"', 'endpoint: registry.internal:5000'), at: [Y, 12, 'registries["registry.corpus.test"].endpoint'], says: '"registry.internal:5000" is not an http(s) URL' },
  { kind: 'config', name: 'a builder rollgate does not drive', files: config('builder: docker', 'builder: podman'), at: [Y, 10, 'builder'], says: '"podman" is not one of auto, docker, buildah' },
  { kind: 'config', name: 'a tag policy that does not exist', files: config('builder: docker\n', 'builder: docker\ntagPolicy: sometimes\n'), at: [Y, 11, 'tagPolicy'], says: '"sometimes" is not one of before-verify, after-verify' },
  { kind: 'config', name: '${env} in a field every environment shares', argv: ['validate'], files: config('  web:\n    repository: registry.corpus.test/corpus/web', '  web:\n    repository: registry.corpus.test/corpus/web-${env}'), at: [Y, 5, 'images.web.repository'], says: '${env} has no value here' },
  { kind: 'config', name: 'an empty rollgate.yml', files: { [Y]: '' }, at: [Y, 1, null], says: 'the file is empty; it needs images: and environments:' },

  // Manifests: YAML and JSON, the shape of objects, what the API server or the kubelet would refuse, kustomize.
  { kind: 'manifest', name: 'a key indented under a scalar', argv: DEPLOY_PUSHED, files: web('  replicas: 1\n', '  replicas: 1\n   paused: false\n'), at: [WEB, 15, 'spec.replicas'], says: 'YAML: Nested mappings are not allowed in compact mappings' },
  { kind: 'manifest', name: 'a tab for indentation', argv: DEPLOY_PUSHED, files: settings('  GREETING: hello', '\tGREETING: hello'), at: [SETTINGS, 6, 'data.GREETING'], says: 'YAML: Tabs are not allowed as indentation' },
  { kind: 'manifest', name: 'a ConfigMap key written twice', argv: DEPLOY_PUSHED, files: settings('  GREETING: hello', '  GREETING: hello\n  GREETING: hi'), at: [SETTINGS, 7, 'data.GREETING'], says: 'YAML: Map keys must be unique' },
  { kind: 'manifest', name: 'a JSON manifest missing a comma', argv: DEPLOY_PUSHED, files: { 'k8s/extra.json': '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap"\n  "metadata": { "name": "extra" }\n}\n' }, at: ['k8s/extra.json', 4, 'metadata'], says: 'YAML: Missing , between flow map items' },
  { kind: 'manifest', name: 'an object without a kind', argv: DEPLOY_PUSHED, files: settings('kind: ConfigMap\n', ''), at: [SETTINGS, 1, 'kind'], says: 'missing in this object; every object needs apiVersion, kind and metadata.name' },
  { kind: 'manifest', name: 'an object without an apiVersion', argv: DEPLOY_PUSHED, files: settings('apiVersion: v1\n', ''), at: [SETTINGS, 1, 'apiVersion'], says: 'missing in this ConfigMap' },
  { kind: 'manifest', name: 'an object without a name', argv: DEPLOY_PUSHED, files: settings('  name: web-settings\n', '  labels: { app: web }\n'), at: [SETTINGS, 3, 'metadata.name'], says: 'missing in this ConfigMap' },
  { kind: 'manifest', name: 'generateName instead of a name', argv: DEPLOY_PUSHED, files: settings('  name: web-settings\n', '  generateName: web-settings-\n'), at: [SETTINGS, 3, 'metadata.name'], says: 'server-side apply needs a fixed name (generateName is not enough)' },
  { kind: 'manifest', name: 'a kind given as a number', argv: DEPLOY_PUSHED, files: settings('kind: ConfigMap', 'kind: 42'), at: [SETTINGS, 2, 'kind'], says: 'must be a string, not a number' },
  { kind: 'manifest', name: 'metadata written as a list', argv: DEPLOY_PUSHED, files: settings('metadata:\n  name: web-settings\n', 'metadata:\n  - name: web-settings\n'), at: [SETTINGS, 3, 'metadata'], says: 'must be a mapping, not a list' },
  { kind: 'manifest', name: 'another namespace than the environment', argv: DEPLOY_PUSHED, files: settings('  name: web-settings\n', '  name: web-settings\n  namespace: corpus-stg\n'), at: [SETTINGS, 5, 'metadata.namespace'], says: '"corpus-stg" contradicts environment dev\'s namespace "corpus-dev"' },
  { kind: 'manifest', name: 'the same object in two files', argv: DEPLOY_PUSHED, files: { 'k8s/more.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata: {}\n' }, at: ['k8s/more.yaml', 4, 'metadata.name'], says: 'ConfigMap web-settings: defined twice, first at' },
  { kind: 'manifest', name: 'Secret data that is not base64', argv: DEPLOY_PUSHED, files: { 'k8s/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-token\ndata:\n  token: not base64!\n' }, at: ['k8s/secret.yaml', 6, 'data.token'], says: 'not valid base64 (write plain text under stringData instead)' },
  { kind: 'manifest', name: 'a document that is a list', argv: DEPLOY_PUSHED, files: { 'k8s/list.yaml': '- apiVersion: v1\n  kind: ConfigMap\n  metadata: { name: listed }\n' }, at: ['k8s/list.yaml', 1, null], says: 'a manifest must be a mapping (apiVersion, kind, metadata, ...), not a list' },
  { kind: 'manifest', name: 'a List item that is text', argv: DEPLOY_PUSHED, files: { 'k8s/list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: listed }\n  - just text\n' }, at: ['k8s/list.yaml', 7, 'items[1]'], says: 'a List item must be a mapping' },
  { kind: 'manifest', name: 'a kind the cluster does not have', argv: DEPLOY_PUSHED, files: settings('kind: ConfigMap', 'kind: ConfigMapp'), at: [SETTINGS, 2, 'kind'], says: 'has no kind ConfigMapp in v1 (did you mean "ConfigMap"?)', reads: ['cluster'] },
  { kind: 'manifest', name: 'an apiVersion the cluster does not serve', argv: DEPLOY_PUSHED, files: web('apiVersion: apps/v1', 'apiVersion: apps/v1beta9'), at: [WEB, 10, 'apiVersion'], says: 'does not serve apps/v1beta9', reads: ['cluster'] },
  { kind: 'manifest', name: 'a ConfigMap name with capitals', argv: DEPLOY_PUSHED, files: settings('name: web-settings', 'name: Web_Settings'), at: [SETTINGS, 4, 'metadata.name'], says: '"Web_Settings" is not a valid ConfigMap name' },
  { kind: 'manifest', name: 'a Service without ports', argv: DEPLOY_PUSHED, files: web('  ports:\n    - { name: http, port: 80, targetPort: http }\n', ''), at: [WEB, 5, 'spec.ports'], says: 'a Service needs at least one port' },
  { kind: 'manifest', name: 'a selector that misses the pod labels', argv: DEPLOY_PUSHED, files: web('      labels: { app: web }', '      labels: { app: api }'), at: [WEB, 20, 'spec.template.metadata.labels'], says: "the selector app=web does not match the template's labels (app=api)" },
  { kind: 'manifest', name: 'a container without a name', argv: DEPLOY_PUSHED, files: web('        - name: web\n          image:', '        - image:'), at: [WEB, 23, 'spec.template.spec.containers[0].name'], says: 'the container needs a name' },
  { kind: 'manifest', name: 'a kustomization naming a missing file', argv: DEPLOY_PUSHED, files: { 'k8s/kustomization.yaml': 'resources:\n  - web.yaml\n  - config.yaml\n  - missing.yaml\n' }, at: ['k8s/kustomization.yaml', 4, 'resources[2]'], says: "kubectl kustomize failed: accumulating resources: accumulation err='accumulating resources from 'missing.yaml'" },
  { kind: 'manifest', name: 'a kustomization with a misspelt field', argv: DEPLOY_PUSHED, files: { 'k8s/kustomization.yaml': 'resourcez:\n  - web.yaml\n  - config.yaml\n' }, at: ['k8s/kustomization.yaml', 1, 'resourcez'], says: 'kubectl kustomize failed: invalid Kustomization: json: unknown field "resourcez"' },

  // The smoke: section: target, timing, steps, captures.
  { kind: 'smoke', name: 'no target', files: config('  target: { service: web, port: 80 }\n', ''), at: [Y, 26, 'smoke.target'], says: 'missing; smoke needs a target: { service, port } or { url }' },
  { kind: 'smoke', name: 'a Service and a URL', files: config('{ service: web, port: 80 }', '{ service: web, port: 80, url: "http://localhost" }'), at: [Y, 27, 'smoke.target'], says: 'give either service and port, or url, not both' },
  { kind: 'smoke', name: 'a port above 65535', files: config('port: 80 }', 'port: 70000 }'), at: [Y, 27, 'smoke.target.port'], says: 'must be 65535 or less, got 70000' },
  { kind: 'smoke', name: 'a Service name with capitals', files: config('service: web,', 'service: Web_App,'), at: [Y, 27, 'smoke.target.service'], says: '"Web_App" is not a Service name' },
  { kind: 'smoke', name: 'a URL without a scheme', files: config('{ service: web, port: 80 }', '{ url: "localhost:8080" }'), at: [Y, 27, 'smoke.target.url'], says: '"localhost:8080" is not an http(s) URL' },
  { kind: 'smoke', name: 'a zero duration', files: config('duration: 2s', 'duration: 0'), at: [Y, 28, 'smoke.duration'], says: 'must be longer than 0' },
  { kind: 'smoke', name: 'an interval longer than the duration', files: config('interval: 1s', 'interval: 5s'), at: [Y, 29, 'smoke.interval'], says: 'the interval (5000 ms) is longer than the duration (2000 ms)' },
  { kind: 'smoke', name: 'an empty list of steps', files: { [Y]: (text) => text.replace(/ {2}steps:[\s\S]*$/, '  steps: []\n') }, at: [Y, 30, 'smoke.steps'], says: 'the list is empty; smoke needs at least one step' },
  { kind: 'smoke', name: 'a path without its leading slash', files: config('      path: /\n', '      path: invoices\n'), at: [Y, 32, 'smoke.steps[0].path'], says: '"invoices" must start with /' },
  { kind: 'smoke', name: 'a method HTTP does not have', files: config('      path: /\n', '      method: FETCH\n      path: /\n'), at: [Y, 32, 'smoke.steps[0].method'], says: '"FETCH" is not an HTTP method' },
  { kind: 'smoke', name: 'a status code above 599', files: config('status: 200,', 'status: 700,'), at: [Y, 33, 'smoke.steps[0].expect.status'], says: 'must be 599 or less, got 700' },
  { kind: 'smoke', name: 'a value no earlier step captured', files: config('      path: /\n', '      path: /invoices/{invoiceId}/\n'), at: [Y, 32, 'smoke.steps[0].path'], says: '{invoiceId} is not captured by an earlier step' },
  { kind: 'smoke', name: 'a capture from a source that does not exist', files: config('      expect:', '      capture: { token: jsn.token }\n      expect:'), at: [Y, 33, 'smoke.steps[0].capture.token'], says: '"jsn.token" is not a capture source' },
  { kind: 'smoke', name: 'a step with a command and a request', files: config('      path: /\n', '      path: /\n      command: curl -f http://web/\n'), at: [Y, 32, 'smoke.steps[0].path'], says: 'a step runs either a command or a request, not both' },
  { kind: 'smoke', name: 'a request with a form and JSON', files: config('      path: /\n', '      method: POST\n      path: /\n      form: { a: b }\n      json: { a: b }\n'), at: [Y, 35, 'smoke.steps[0].json'], says: 'a request sends either form or json, not both' },
  { kind: 'smoke', name: 'two steps with one name', files: addStep('    - name: home page\n      path: /healthz\n'), at: [Y, 34, 'smoke.steps[1].name'], says: 'another step is already named "home page"' },
  { kind: 'smoke', name: 'an empty command', files: addStep('    - name: check\n      command: []\n'), at: [Y, 35, 'smoke.steps[1].command'], says: 'the command is empty' },
  { kind: 'smoke', name: 'a step key that does not exist', files: config('      path: /\n', '      path: /\n      timeout: 5s\n'), at: [Y, 33, 'smoke.steps[0].timeout'], says: 'unknown key "timeout"' },
  { kind: 'smoke', name: 'a credential from a variable that is not set', files: config('      path: /\n', '      path: /\n      headers: { Authorization: "Bearer ${SMOKE_TOKEN}" }\n'), at: [Y, 33, 'smoke.steps[0].headers.Authorization'], says: 'environment variable SMOKE_TOKEN is not set' },
  { kind: 'smoke', name: "an environment's own smoke duration that is not one", files: config('    namespace: corpus-dev\n', '    namespace: corpus-dev\n    smoke: { duration: soon }\n'), at: [Y, 18, 'environments.dev.smoke.duration'], says: '"soon" is not a duration' },

  // Image references: in rollgate.yml, in the manifests, on the command line.
  { kind: 'image', name: 'a repository with capitals', files: config('corpus.test/corpus/web\n', 'corpus.test/Corpus/Web\n'), at: [Y, 5, 'images.web.repository'], says: 'is not a valid repository: repository name must be lowercase: Corpus/Web' },
  { kind: 'image', name: 'a repository with a tag', files: config('corpus.test/corpus/web\n', 'corpus.test/corpus/web:latest\n'), at: [Y, 5, 'images.web.repository'], says: 'carries a tag :latest; write the repository alone' },
  { kind: 'image', name: 'a repository with a digest', files: config('corpus.test/corpus/web\n', `corpus.test/corpus/web@sha256:${'a'.repeat(64)}\n`), at: [Y, 5, 'images.web.repository'], says: 'carries a digest @sha256:' },
  { kind: 'image', name: 'a registry key written as a URL', files: config('  registry.corpus.test: {', '  https://registry.corpus.test: {'), at: [Y, 12, 'registries["https://registry.corpus.test"]'], says: 'is not a registry host (host or host:port' },
  { kind: 'image', name: 'a container image with capitals', argv: DEPLOY_PUSHED, files: image('registry.corpus.test/corpus/Web:dev'), at: [WEB, 24, 'spec.template.spec.containers[0].image'], says: 'is not an image reference the kubelet can pull: repository name must be lowercase: corpus/Web' },
  { kind: 'image', name: 'a container image with a space', argv: DEPLOY_PUSHED, files: image('"registry.corpus.test/corpus/web: dev"'), at: [WEB, 24, 'spec.template.spec.containers[0].image'], says: 'it contains whitespace' },
  { kind: 'image', name: 'a container image left as a placeholder', argv: DEPLOY_PUSHED, files: image('$(IMAGE)'), at: [WEB, 24, 'spec.template.spec.containers[0].image'], says: '"$(IMAGE)" is not an image reference the kubelet can pull' },
  { kind: 'image', name: 'a container without an image', argv: DEPLOY_PUSHED, files: web('          image: registry.corpus.test/corpus/web:dev\n', ''), at: [WEB, 23, 'spec.template.spec.containers[0].image'], says: 'the container needs an image' },
  { kind: 'image', name: 'manifests that run another repository', argv: DEPLOY_PUSHED, files: image('registry.corpus.test/corpus/api:dev'), at: [WEB, 24, 'spec.template.spec.containers[0].image'], says: 'no container in the manifests of dev runs web (registry.corpus.test/corpus/web); they run registry.corpus.test/corpus/api:dev' },
  { kind: 'image', name: 'inventory of a reference with capitals', argv: ['inventory', 'registry.corpus.test/corpus/Web:dev'], at: [null, null, 'IMAGE_REF'], says: 'repository name must be lowercase: corpus/Web' },
  { kind: 'image', name: 'inventory of a digest too short', argv: ['inventory', 'registry.corpus.test/corpus/web@sha256:abc'], at: [null, null, 'IMAGE_REF'], says: 'sha256 digest must have exactly 64 hex characters (it has 3)' },
  { kind: 'image', name: 'a rollback to a digest too short', argv: ['rollback', '--env', 'dev', '--to', 'sha256:1234'], at: [null, null, '--to'], says: '"sha256:1234" is not a digest' },
  { kind: 'image', name: 'a rollback to a digest the registry does not have', argv: ['rollback', '--env', 'dev', '--to', `sha256:${'a'.repeat(64)}`], at: [null, null, 'to'], says: `registry.corpus.test/corpus/web@sha256:${'a'.repeat(64)} does not exist`, reads: ['registry'] },

  // Versions: the grammar, where a version comes from, what the registry has of it.
  { kind: 'version', name: 'a version that is a word', argv: ['deploy', '--env', 'dev', '--version', 'banana'], at: [null, null, '--version'], says: 'version "banana" is not valid' },
  { kind: 'version', name: 'a version with two numbers', argv: ['deploy', '--env', 'dev', '--version', 'v1.2'], at: [null, null, '--version'], says: 'it needs all three numbers (add ".0")' },
  { kind: 'version', name: 'a version with a capital V', argv: ['build', '--version', 'V1.2.3'], at: [null, null, '--version'], says: 'the prefix must be a lowercase "v"' },
  { kind: 'version', name: 'a version with four numbers', argv: ['validate', '--version', '1.2.3.4'], at: [null, null, '--version'], says: 'it has more than three numbers' },
  { kind: 'version', name: 'a version with a leading zero', argv: ['deploy', '--env', 'dev', '--version', 'v01.2.3'], at: [null, null, '--version'], says: 'version "v01.2.3" is not valid' },
  { kind: 'version', name: 'a GitLab tag that is not a version', argv: ['deploy', '--env', 'dev'], env: { CI_COMMIT_TAG: 'release-7' }, at: [null, null, 'version'], says: 'version "release-7" is not valid' },
  { kind: 'version', name: 'a deploy from a branch with no version', argv: ['deploy', '--env', 'dev'], env: { GITHUB_REF: 'refs/heads/main' }, at: [null, null, 'version'], says: 'deploy needs the version to build and deploy (--version V, or run in a tag pipeline)' },
  { kind: 'version', name: 'a version whose tag is too long', argv: ['deploy', '--env', 'dev', '--version', `${LONG_VERSION}aaaaaaa`], at: [Y, 9, 'tags[0]'], says: 'tag must not be more than 128 characters (it has 129)' },
  { kind: 'version', name: 'a version whose {sha} tag is too long', argv: ['deploy', '--env', 'dev', '--version', LONG_VERSION], files: config('"{major}.{minor}"', '"{version}-{sha}"'), at: [Y, 9, 'tags[1]'], says: 'tag must not be more than 128 characters (it has 130)' },
  { kind: 'version', name: 'a rollback to something that is no version', argv: ['rollback', '--env', 'dev', '--to', 'latest!'], at: [null, null, '--to'], says: '"latest!" is neither a version (e.g. v4.1.0) nor a digest' },
  { kind: 'version', name: 'a deploy of a version never pushed', argv: ['deploy', '--env', 'dev', '--version', 'v2.0.0', '--no-build'], at: [Y, 4, 'images.web'], says: 'registry.corpus.test/corpus/web has no tag v2.0.0, v2.0', reads: ['registry'] },
  { kind: 'version', name: 'a rollback to a version never pushed', argv: ['rollback', '--env', 'dev', '--to', 'v0.9.0'], at: [Y, 4, 'images.web'], says: 'registry.corpus.test/corpus/web has no tag v0.9.0, v0.9', reads: ['registry'] },
  { kind: 'version', name: 'a rollback with no older release', argv: ['rollback', '--env', 'dev'], at: [Y, 4, 'images.web'], says: 'has no release older than v1.0.0 (what dev is on) on another digest', reads: ['registry'] },
  { kind: 'version', name: 'a promotion from an environment with nothing deployed', argv: ['promote', '--from', 'stg', '--to', 'dev'], at: [Y, 4, 'images.web'], says: 'registry.corpus.test/corpus/web:stg does not exist: stg has nothing deployed to promote', reads: ['registry'] },
  { kind: 'version', name: 'a rebuild of an image with no version label', argv: ['rebuild', '--env', 'dev'], at: [Y, 4, 'images.web'], says: 'has no org.opencontainers.image.version label, so what to rebuild is unknown', reads: ['registry'] },

  // Flags of the CLI (parseArgv) and inputs of the action (parseActionInputs in src/index.ts): no file, the flag named.
  { kind: 'input', name: 'a command that does not exist', argv: ['deplyo', '--env', 'dev'], at: [null, null, 'command'], says: 'unknown command "deplyo"' },
  { kind: 'input', name: 'a misspelt flag', argv: [...DEPLOY, '--verison', 'v1.0.0'], at: [null, null, '--verison'], says: 'unknown flag (did you mean "--version"?)' },
  { kind: 'input', name: 'a flag without its value', argv: ['deploy', '--version', 'v1.0.0', '--env'], at: [null, null, '--env'], says: 'needs a value' },
  { kind: 'input', name: 'a value given to a switch', argv: [...DEPLOY, '--verbose=yes'], at: [null, null, '--verbose'], says: 'takes no value (it is a switch)' },
  { kind: 'input', name: 'a deploy without an environment', argv: ['deploy', '--version', 'v1.0.0'], at: [null, null, '--env'], says: '"deploy" needs this flag' },
  { kind: 'input', name: 'a flag of another command', argv: [...DEPLOY, '--from', 'stg'], at: [null, null, '--from'], says: 'does not apply to "deploy"' },
  { kind: 'input', name: 'a rollout timeout without a unit', argv: [...DEPLOY, '--rollout-timeout', '5'], at: [null, null, '--rollout-timeout'], says: '"5" has no unit; write 5s, 5m or 5ms' },
  { kind: 'input', name: 'a zero rollout timeout', argv: [...DEPLOY, '--rollout-timeout', '0'], at: [null, null, '--rollout-timeout'], says: 'must be longer than 0' },
  { kind: 'input', name: 'a builder that does not exist', argv: [...DEPLOY, '--builder', 'podman'], at: [null, null, '--builder'], says: '"podman" is not one of auto, docker, buildah' },
  { kind: 'input', name: 'a promotion without a target', argv: ['promote', '--from', 'dev'], at: [null, null, '--to'], says: '"promote" needs this flag' },
  { kind: 'input', name: 'a promotion to the same environment', argv: ['promote', '--from', 'dev', '--to', 'dev'], at: [null, null, 'to'], says: 'promote needs two environments; --from and --to are both "dev"' },
  { kind: 'input', name: 'a rebuild given a version', argv: ['rebuild', '--env', 'dev', '--version', 'v1.0.0'], at: [null, null, '--version'], says: 'does not apply to "rebuild"' },
  { kind: 'input', name: 'an environment the file does not have', argv: ['deploy', '--env', 'prod', '--version', 'v1.0.0'], at: [Y, null, 'env'], says: 'no environment "prod" in rollgate.yml; it has dev, stg' },
  { kind: 'input', name: 'a context other than the environment names', argv: [...DEPLOY, '--context', 'prod'], files: config('    targetTag: dev\n', '    targetTag: dev\n    kubeContext: sandbox\n'), at: [Y, 17, 'environments.dev.kubeContext'], says: 'environment dev deploys through context "sandbox", but context "prod" was given' },
  { kind: 'input', name: 'a config file that does not exist', argv: [...DEPLOY, '--config', 'deploy/rollgate.yml'], at: ['deploy/rollgate.yml', null, null], says: 'config file not found' },
  { kind: 'input', name: 'action: a command that does not exist', action: { command: 'deplyo', env: 'dev' }, at: [null, null, 'with.command'], says: '"deplyo" is not a command (did you mean "deploy"?)' },
  { kind: 'input', name: 'action: build: yes', action: { env: 'dev', version: 'v1.0.0', build: 'yes' }, at: [null, null, 'with.build'], says: 'expected true or false, got "yes"' },
  { kind: 'input', name: 'action: a kubeconfig as a path and as contents', action: { env: 'dev', version: 'v1.0.0', kubeconfig: 'kubeconfig', 'kubeconfig-contents': 'apiVersion: v1' }, at: [null, null, 'with.kubeconfig-contents'], says: 'not both' },
  { kind: 'input', name: 'action: a negative rollout timeout', action: { env: 'dev', version: 'v1.0.0', 'rollout-timeout': '-5m' }, at: [null, null, 'with.rollout-timeout'], says: '"-5m" is negative' },
  { kind: 'input', name: 'action: an input of another command', action: { env: 'dev', version: 'v1.0.0', from: 'stg' }, at: [null, null, 'with.from'], says: 'does not apply to "deploy"' },
  { kind: 'input', name: 'action: a deploy without an environment', action: { version: 'v1.0.0' }, at: [null, null, 'with.env'], says: '"deploy" needs this input' },
  { kind: 'input', name: 'action: a version with two numbers', action: { env: 'dev', version: 'v1.2' }, at: [null, null, 'with.version'], says: 'it needs all three numbers' },
  { kind: 'input', name: 'action: a mistake in rollgate.yml, annotated at its line', action: { env: 'dev', version: 'v1.0.0' }, files: config('namespace: corpus-dev', 'namespace: corpus_dev'), at: [Y, 17, 'environments.dev.namespace'], says: '"corpus_dev" is not a namespace name' },
];
