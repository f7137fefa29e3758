import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The metrics and tracing services of docker-compose.yml and the files they mount. No
// Docker engine here: the files' shape is checked, and `docker compose config` when the CLI has it.
const root = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const { services } = compose;

/** `./host/path:/container/path[:ro]` → [host path, container path]; named volumes too. */
function mounts(service: ComposeService): Array<[string, string]> {
  return (service.volumes ?? []).map((volume) => {
    const [source, target] = volume.split(':');
    return [source, target];
  });
}

/** The port a compose app service listens on, from its environment. */
function listens(name: string): string | undefined {
  const env = services[name]?.environment ?? {};
  return env.PORT ?? env.WORKER_PORT;
}

describe('docker-compose.yml: Prometheus, Grafana and the tracing profile', () => {
  it('pins every third-party image to a version tag', () => {
    for (const name of ['prometheus', 'grafana', 'otel-collector', 'jaeger']) {
      expect([name, services[name]?.image]).toEqual([
        name,
        expect.stringMatching(/^[\w./-]+:v?\d+\.\d+\.\d+$/),
      ]);
    }
  });

  it('mounts the Prometheus config and the Grafana provisioning and dashboards, which exist', () => {
    const expected: Record<string, string[]> = {
      prometheus: ['./deploy/prometheus/prometheus.yml'],
      grafana: ['./deploy/grafana/provisioning', './deploy/grafana/dashboards'],
      'otel-collector': ['./deploy/otel/collector.yaml'],
    };
    for (const [name, files] of Object.entries(expected)) {
      const sources = mounts(services[name]).map(([source]) => source);
      for (const file of files) {
        expect([name, sources.includes(file), existsSync(join(root, file))]).toEqual([
          name,
          true,
          true,
        ]);
      }
      for (const volume of services[name].volumes ?? []) {
        if (volume.startsWith('./')) expect(volume).toMatch(/:ro$/);
      }
    }
    for (const [source] of Object.values(services).flatMap(mounts)) {
      if (!source.startsWith('.')) expect(Object.keys(compose.volumes)).toContain(source);
    }
    // The provisioning points Grafana at the dashboards folder it is given.
    const [, dashboards] = mounts(services.grafana).find(([s]) => s.endsWith('/dashboards'))!;
    const provider = parse(read('deploy/grafana/provisioning/dashboards/dashboards.yaml')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(provider.providers.map((p) => [p.type, p.options.path])).toEqual([['file', dashboards]]);
  });

  it('scrapes compose services at the ports they listen on, and the gateway and worker both', () => {
    const config = parse(read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{
        job_name: string;
        metrics_path?: string;
        static_configs?: Array<{ targets: string[] }>;
        dns_sd_configs?: Array<{ names: string[]; port: number }>;
      }>;
    };
    const targets = config.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((s) => s.targets),
      ...(job.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`)),
    ]);
    for (const target of targets) {
      const [host, port] = target.split(':');
      expect([target, host in services, listens(host)]).toEqual([target, true, port]);
    }
    expect(targets.map((t) => t.split(':')[0]).sort()).toEqual(['gateway-api', 'worker']);
    for (const job of config.scrape_configs)
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
    // Grafana's data source is this Prometheus, at the port it listens on in its container.
    const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yaml')) as {
      datasources: Array<{ type: string; url: string }>;
    };
    expect(datasources.datasources.map((d) => [d.type, d.url])).toEqual([
      ['prometheus', 'http://prometheus:9090'],
    ]);
  });

  it('runs the collector and Jaeger only in the tracing profile; the default stack is unchanged', () => {
    expect(services['otel-collector'].profiles).toEqual(['tracing']);
    expect(services.jaeger.profiles).toEqual(['tracing']);
    for (const name of ['postgres', 'redis', 'fake-provider', 'gateway-api', 'worker']) {
      expect([name, services[name].profiles]).toEqual([name, undefined]);
    }
    // The gateway exports to the collector only when told to (empty = unset).
    expect(services['gateway-api'].environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
      '${OTEL_EXPORTER_OTLP_ENDPOINT:-}',
    );
    const collector = parse(read('deploy/otel/collector.yaml')) as {
      receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    };
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    const { traces } = collector.service.pipelines;
    expect(traces.receivers).toEqual(['otlp']);
    for (const exporter of traces.exporters) {
      expect(collector.exporters[exporter].endpoint.split(':')[0]).toBe('jaeger');
    }
  });

  it('publishes the new UIs on the loopback only, on host ports no other service takes', () => {
    const hostPorts = Object.values(services).flatMap((s) =>
      (s.ports ?? []).map((p) => p.split(':').slice(0, -1).join(':')),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    for (const name of ['prometheus', 'grafana', 'jaeger']) {
      for (const port of services[name].ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  const docker = spawnSync('docker', ['compose', 'version'], { stdio: 'pipe' });
  const withCompose = docker.status === 0 ? it : it.skip;
  withCompose(
    'is accepted by `docker compose config`, with and without the tracing profile',
    () => {
      for (const args of [[], ['--profile', 'tracing']]) {
        execFileSync('docker', ['compose', ...args, 'config', '--quiet'], {
          cwd: root,
          stdio: 'pipe',
        });
      }
    },
  );
});
