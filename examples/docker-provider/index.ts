import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { DockerHost, EngineInstallMethod } from "../../components";

// Chaining: provision a Docker host and run a container on it in the same stack. The DockerHost's outputs map
// one to one onto the @pulumi/docker provider's settings, so the engine's mutual TLS needs no files and no
// environment variables; the client key stays a secret from end to end.
const config = new pulumi.Config();
const hostKey = config.get("hostKey");

const host = new DockerHost("web", {
  existing: {
    host: config.require("host"),
    port: config.getNumber("sshPort") ?? 22,
    user: config.get("user") ?? "root",
    privateKey: pulumi.secret(readFileSync(config.require("privateKeyPath"), "utf8")),
    ...(hostKey !== undefined ? { hostKey } : {}),
  },
  engine: { installMethod: EngineInstallMethod.Distro },
});

const engine = new docker.Provider("web-engine", {
  host: host.dockerHost, // tcp://ADDRESS:2376, published once the engine answers over TLS
  caMaterial: host.caCert,
  certMaterial: host.clientCert,
  keyMaterial: host.clientKey,
});

const image = new docker.RemoteImage(
  "nginx",
  { name: config.get("image") ?? "nginx:1.27-alpine", keepLocally: true },
  { provider: engine },
);

const web = new docker.Container(
  "web",
  {
    name: "web",
    image: image.imageId,
    ports: [{ internal: 80, external: config.getNumber("publishPort") ?? 8080 }],
    restart: "unless-stopped",
  },
  { provider: engine },
);

export const dockerHost = host.dockerHost;
export const engineVersion = host.engineVersion;
export const containerName = web.name;
export const imageId = image.imageId;
