import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "../../components";

// A Docker host on a Hetzner Cloud server: export HCLOUD_TOKEN=...,
// `pulumi config set --path 'allowedCidrs[0]' "$(curl -s https://checkip.amazonaws.com)/32"`, `pulumi up`.
const config = new pulumi.Config();

const host = new DockerHost(config.get("name") ?? "docker-hetzner", {
  hetzner: {
    location: config.get("location") ?? "fsn1",
    serverType: config.get("serverType") ?? "cx23",
    staticIp: config.getBoolean("staticIp") ?? false,
    labels: { example: "docker-host-hetzner" },
  },
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  engine: { labels: { cloud: "hetzner" } },
});

export const dockerHost = host.dockerHost;
export const address = host.address;
export const publicIp = host.publicIp;
export const privateIp = host.privateIp;
export const engineVersion = host.engineVersion;
export const caCert = host.caCert;
export const clientCert = host.clientCert;
export const clientKey = host.clientKey;
export const sshUser = host.sshUser;
export const sshPrivateKey = host.sshPrivateKey;
