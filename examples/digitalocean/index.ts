import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "../../components";

// A Docker host on a DigitalOcean Droplet: export DIGITALOCEAN_TOKEN=...,
// `pulumi config set --path 'allowedCidrs[0]' "$(curl -s https://checkip.amazonaws.com)/32"`, `pulumi up`.
const config = new pulumi.Config();

const host = new DockerHost(config.get("name") ?? "docker-do", {
  digitalocean: {
    region: config.get("region") ?? "nyc3",
    size: config.get("size") ?? "s-1vcpu-2gb",
    staticIp: config.getBoolean("staticIp") ?? false,
    ipv6: config.getBoolean("ipv6") ?? false,
    tags: ["example:docker-host-digitalocean"],
  },
  allowedCidrs: config.requireObject<string[]>("allowedCidrs"),
  engine: { labels: { cloud: "digitalocean" } },
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
