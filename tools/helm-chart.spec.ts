import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';

// CI has no helm binary (neither the npm registry nor Debian ships one): tools/helm-render.mjs
// renders the chart with the Go-template subset it uses, the way `helm template` prints it,
// and fails on a function or syntax outside that subset.
const root = join(__dirname, '..');
const chartDir = join(root, 'deploy/helm/ai-gateway');
const allOn = join(chartDir, 'ci/all-on-values.yaml');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'helm-chart-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  name: string;
  image: string;
  command: string[];
  env: { name: string; value: string }[];
  envFrom: { secretRef: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: object; configMap?: { name: string } }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // The fields of each kind's spec that the tests read.
  spec: {
    replicas?: number;
    type?: string;
    ports?: object[];
    selector: { matchLabels: Record<string, string>; [label: string]: unknown };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: PodSpec;
    };
    [field: string]: unknown;
  };
  data?: Record<string, string> | null;
}

/** Extra values as a file, like `helm template -f`. */
function valuesFile(values: object): string {
  const path = join(
    tmp,
    `${createHash('sha256').update(JSON.stringify(values)).digest('hex')}.yaml`,
  );
  writeFileSync(path, stringify(values));
  return path;
}

function render(...files: string[]): Manifest[] {
  const args = [join(root, 'tools/helm-render.mjs'), chartDir, ...files.flatMap((f) => ['-f', f])];
  const stream = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' });
  return parseAllDocuments(stream).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Manifest;
  });
}

function one(manifests: Manifest[], kind: string, component?: string): Manifest {
  const found = manifests.filter(
    (m) =>
      m.kind === kind &&
      (!component || m.metadata.labels?.['app.kubernetes.io/component'] === component),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

const pod = (deployment: Manifest): PodSpec => deployment.spec.template.spec;
const env = (container: Container): Record<string, string> =>
  Object.fromEntries(container.env.map(({ name, value }) => [name, value]));

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, { command: string[]; environment: Record<string, string> }>;
};
const defaults = render();
const everything = render(allOn);
const allOnValues = parse(readFileSync(allOn, 'utf8')) as {
  secrets: Record<string, string>;
  redisUrl: string;
  databaseUrl: string;
  worker: { shutdownTimeoutMs: number };
};

describe('deploy/helm/ai-gateway', () => {
  it('is a v2 chart whose appVersion is the workspace version', () => {
    const chart = parse(read('deploy/helm/ai-gateway/Chart.yaml')) as Record<string, string>;
    const { version } = JSON.parse(read('package.json')) as { version: string };
    expect([chart.apiVersion, chart.name, chart.appVersion]).toEqual(['v2', 'ai-gateway', version]);
  });

  it('renders the gateway with defaults, and the worker and its budget only when switched on', () => {
    const kinds = (manifests: Manifest[]): string[] =>
      manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();
    expect(kinds(defaults)).toEqual([
      'ConfigMap/release-ai-gateway',
      'Deployment/release-ai-gateway-gateway',
      'HorizontalPodAutoscaler/release-ai-gateway-gateway',
      'PodDisruptionBudget/release-ai-gateway-gateway',
      'Secret/release-ai-gateway',
      'Service/release-ai-gateway-gateway',
    ]);
    expect(kinds(everything)).toEqual([
      'ConfigMap/gw',
      'Deployment/gw-gateway',
      'Deployment/gw-worker',
      'HorizontalPodAutoscaler/gw-gateway',
      'PodDisruptionBudget/gw-gateway',
      'PodDisruptionBudget/gw-worker',
      'Secret/gw',
      'Service/gw-gateway',
    ]);
  });

  it.each([
    ['gateway', 'gateway-api'],
    ['worker', 'worker'],
  ])('starts the %s with the command docker-compose.yml gives it', (component, service) => {
    const [container] = pod(one(everything, 'Deployment', component)).containers;
    expect(container.command).toEqual(compose.services[service].command);
    expect(container.image).toBe('registry.example.com/ai-gateway:0.1.0-ci');
  });

  it('probes the health endpoints on the ports the apps listen on', () => {
    const [gateway] = pod(one(defaults, 'Deployment', 'gateway')).containers;
    expect([gateway.livenessProbe.httpGet, gateway.readinessProbe.httpGet]).toEqual([
      { path: '/health/live', port: 'http' },
      { path: '/health/ready', port: 'http' },
    ]);
    expect(gateway.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(env(gateway).PORT).toBe(compose.services['gateway-api'].environment.PORT);

    const [worker] = pod(one(everything, 'Deployment', 'worker')).containers;
    expect([worker.livenessProbe.httpGet, worker.readinessProbe.httpGet]).toEqual([
      { path: '/health/live', port: 'health' },
      { path: '/health/ready', port: 'health' },
    ]);
    expect(worker.ports[0].containerPort).toBe(Number(env(worker).WORKER_PORT));
    expect(env(worker).WORKER_PORT).toBe(compose.services.worker.environment.WORKER_PORT);
  });

  it('sends the Service to the gateway pods, on the port the values name', () => {
    const service = one(everything, 'Service');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
    const labels = one(everything, 'Deployment', 'gateway').spec.template.metadata.labels;
    expect(labels).toMatchObject(service.spec.selector);
  });

  it('scales the gateway with an autoscaling/v2 HPA on CPU, leaving replicas to it', () => {
    const hpa = one(everything, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gw-gateway' },
      minReplicas: 3,
      maxReplicas: 20,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
    expect(one(everything, 'Deployment', 'gateway').spec.replicas).toBeUndefined();

    const fixed = render(
      valuesFile({ gateway: { autoscaling: { enabled: false }, replicaCount: 4 } }),
    );
    expect(fixed.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(one(fixed, 'Deployment', 'gateway').spec.replicas).toBe(4);
  });

  it('keeps disruption budgets on the pods of their own component', () => {
    for (const [manifests, component, budget] of [
      [defaults, 'gateway', { maxUnavailable: 1 }],
      [everything, 'gateway', { minAvailable: 2 }],
      [everything, 'worker', { maxUnavailable: 1 }],
    ] as const) {
      const pdb = one(manifests, 'PodDisruptionBudget', component);
      expect(pdb.apiVersion).toBe('policy/v1');
      const { selector, ...rest } = pdb.spec;
      expect(rest).toEqual(budget);
      const labels = one(manifests, 'Deployment', component).spec.template.metadata.labels;
      expect(labels).toMatchObject(selector.matchLabels);
      expect(selector.matchLabels['app.kubernetes.io/component']).toBe(component);
    }
  });

  it('gives the worker longer than its preStop sleep plus its own drain deadline', () => {
    const settings = read('apps/worker/src/config/worker-settings.ts');
    const appDefault = Number(
      /shutdownTimeoutMs: ([\d_]+) \}/.exec(settings)![1].replace(/_/g, ''),
    );
    const chartValues = parse(read('deploy/helm/ai-gateway/values.yaml')) as {
      worker: { shutdownTimeoutMs: number };
    };
    expect(chartValues.worker.shutdownTimeoutMs).toBe(appDefault);

    for (const [manifests, deadlineMs] of [
      [render(valuesFile({ worker: { enabled: true } })), appDefault],
      [everything, allOnValues.worker.shutdownTimeoutMs],
    ] as const) {
      const spec = pod(one(manifests, 'Deployment', 'worker'));
      const [container] = spec.containers;
      expect(env(container).WORKER_SHUTDOWN_TIMEOUT_MS).toBe(String(deadlineMs));
      const [sleep, seconds] = container.lifecycle.preStop.exec.command;
      expect(sleep).toBe('sleep');
      // At least a few seconds after the worker's own deadline, so it exits before SIGKILL.
      expect(spec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(
        Number(seconds) * 1000 + deadlineMs + 3000,
      );
    }
  });

  it('rolls the pods when the config changes, and only then', () => {
    const checksum = (manifests: Manifest[], component: string): string =>
      one(manifests, 'Deployment', component).spec.template.metadata.annotations['checksum/config'];
    expect(checksum(everything, 'gateway')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(everything, 'worker')).toBe(checksum(everything, 'gateway'));
    expect(checksum(render(), 'gateway')).toBe(checksum(defaults, 'gateway'));
    const changed = render(valuesFile({ config: { logging: { level: 'debug' } } }));
    expect(checksum(changed, 'gateway')).not.toBe(checksum(defaults, 'gateway'));
    const off = render(valuesFile({ rollOnConfigChange: false }));
    expect(one(off, 'Deployment', 'gateway').spec.template.metadata.annotations).not.toHaveProperty(
      'checksum/config',
    );
  });

  it('runs both apps as uid 1000 on a read-only root, writing only to emptyDirs', () => {
    for (const component of ['gateway', 'worker']) {
      const spec = pod(one(everything, 'Deployment', component));
      const [container] = spec.containers;
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      const mounts = Object.fromEntries(container.volumeMounts.map((m) => [m.mountPath, m.name]));
      expect(mounts).toEqual({ '/config': 'config', '/app/data': 'data', '/tmp': 'tmp' });
      const volumes = Object.fromEntries(spec.volumes.map((v) => [v.name, v]));
      expect([volumes.data.emptyDir, volumes.tmp.emptyDir]).toEqual([{}, {}]);
      expect(volumes.config.configMap).toEqual({ name: 'gw' });
      expect(env(container).AI_GATEWAY_CONFIG).toBe('/config/gateway.yaml');
    }
  });

  it('keeps keys and URLs in the Secret the pods read, never in the ConfigMap', () => {
    const configMap = one(everything, 'ConfigMap');
    expect(Object.keys(configMap.data!)).toEqual(['gateway.yaml']);
    const secretValues = {
      ...allOnValues.secrets,
      REDIS_URL: allOnValues.redisUrl,
      DATABASE_URL: allOnValues.databaseUrl,
    };
    for (const value of Object.values(secretValues)) {
      expect(JSON.stringify(configMap)).not.toContain(value);
      expect(JSON.stringify(pod(one(everything, 'Deployment', 'gateway')))).not.toContain(value);
    }
    const secret = one(everything, 'Secret');
    const decoded = Object.fromEntries(
      Object.entries(secret.data!).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    expect(decoded).toEqual(secretValues);
    for (const component of ['gateway', 'worker']) {
      const [container] = pod(one(everything, 'Deployment', component)).containers;
      expect(container.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    }
  });

  it('reads an existing Secret instead of making one, and refuses URLs it would ignore', () => {
    const existing = render(
      valuesFile({ existingSecret: 'gateway-keys', worker: { enabled: true } }),
    );
    expect(existing.some((m) => m.kind === 'Secret')).toBe(false);
    for (const component of ['gateway', 'worker']) {
      const [container] = pod(one(existing, 'Deployment', component)).containers;
      expect(container.envFrom).toEqual([{ secretRef: { name: 'gateway-keys' } }]);
    }
    const refused = spawnSync(
      process.execPath,
      [
        join(root, 'tools/helm-render.mjs'),
        chartDir,
        '-f',
        valuesFile({ existingSecret: 'gateway-keys', redisUrl: 'redis://redis:6379' }),
      ],
      { encoding: 'utf8' },
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('put REDIS_URL and DATABASE_URL into that Secret');
  });

  it('renders a gateway.yaml the gateway and the worker accept', () => {
    execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'pipe' });
    for (const [name, manifests, secrets] of [
      ['defaults', defaults, {}],
      ['all-on', everything, allOnValues.secrets],
    ] as const) {
      const path = join(tmp, `${name}-gateway.yaml`);
      writeFileSync(path, one(manifests, 'ConfigMap').data!['gateway.yaml']);
      // The built libraries' loader, in a child: tools never import the libs' sources.
      const check = `
        const core = require('./dist/libs/ai-gateway/src/index.js');
        const { tasksSection } = require('./dist/libs/resume/src/index.js');
        const config = core.loadGatewayConfig({ env: process.env, sections: [tasksSection] });
        process.stdout.write(JSON.stringify(Object.values(config.providers).filter((p) => p.enabled).map((p) => p.name)));`;
      const enabled = execFileSync(process.execPath, ['-e', check], {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...secrets, AI_GATEWAY_CONFIG: path },
      });
      expect([name, (JSON.parse(enabled) as string[]).sort()]).toEqual([
        name,
        name === 'defaults' ? ['local-fake'] : ['anthropic', 'openai'],
      ]);
    }
  });
});
