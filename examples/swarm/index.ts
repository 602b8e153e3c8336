import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { DockerHost, DockerSwarm, EngineInstallMethod } from "../../components";

// A DockerHost per machine, and a DockerSwarm over them. Which machines exist and which role each plays come from
// stack configuration (the end-to-end tests point it at sandbox hosts); real machines work the same way:
//   hosts:    [{ "name": "a", "host": "10.0.0.5", "privateKeyPath": "~/.ssh/id_ed25519", "hostKey": "ssh-ed25519 ..." }]
//   managers: ["a"]        workers: ["b", "c"]        labels: { "b": { "zone": "east" } }
interface MachineConfig {
  name: string;
  host: string;
  privateKeyPath: string;
  hostKey?: string;
  port?: number;
  user?: string;
}
const config = new pulumi.Config();
const machines = config.requireObject<MachineConfig[]>("hosts");
const managers = config.requireObject<string[]>("managers");
const workers = config.getObject<string[]>("workers") ?? [];
const labels = config.getObject<Record<string, Record<string, string>>>("labels") ?? {};
// Swarm mode refuses live-restore, which DockerHost enables by default: the swarm's hosts turn it off.
const liveRestore = config.getBoolean("liveRestore") ?? false;

const hosts = new Map(
  machines.map((m) => {
    const host = new DockerHost(m.name, {
      existing: {
        host: m.host,
        port: m.port ?? 22,
        user: m.user ?? "root",
        privateKey: pulumi.secret(readFileSync(m.privateKeyPath, "utf8")),
        ...(m.hostKey !== undefined ? { hostKey: m.hostKey } : {}),
      },
      engine: { installMethod: EngineInstallMethod.Distro, liveRestore },
    });
    return [m.name, host] as const;
  }),
);

// DockerHosts are listed as they are: the swarm uses their outputs, pinned SSH host key included, and names each
// after its resource name.
function swarmHost(name: string): DockerHost {
  const entry = hosts.get(name);
  if (entry === undefined) throw new Error(`swarm host ${name} is not in the hosts configuration`);
  return entry;
}

const swarm = new DockerSwarm("swarm", {
  managers: managers.map(swarmHost),
  workers: workers.map(swarmHost),
  labels,
});

export const managerAddress = swarm.managerAddress;
export const clusterId = swarm.clusterId;
export const workerJoinToken = swarm.workerJoinToken;
export const managerJoinToken = swarm.managerJoinToken;
export const nodes = swarm.nodes;
// Each host's client bundle (its own CA): `docker --tlsverify -H DOCKERHOST node ls` on a manager.
export const engines = pulumi.secret(
  pulumi.all(
    Object.fromEntries(
      [...hosts].map(([name, host]) => [
        name,
        pulumi.all({
          dockerHost: host.dockerHost,
          caCert: host.caCert,
          clientCert: host.clientCert,
          clientKey: host.clientKey,
        }),
      ]),
    ),
  ),
);
