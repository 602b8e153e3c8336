import * as pulumi from "@pulumi/pulumi";
import { SwarmNodeArgs } from "../../../components";
import { fakeKey } from "./mocks";

/** The SSH host key the swarm mock tests pin (well-formed as far as the validators look). */
export const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests";

/**
 * A swarm host given as data, as other languages pass it (a DockerHost's outputs field by field), optionally
 * with its cloud firewall.
 */
export function dataNode(
  name: string,
  address: string,
  privateIp = "",
  firewall?: SwarmNodeArgs["firewall"],
): SwarmNodeArgs {
  return {
    name,
    dockerHost: `tcp://${address}:2376`,
    address,
    privateIp,
    sshUser: "root",
    sshPrivateKey: pulumi.secret(fakeKey(`ssh-${name}`)),
    sshHostKey: HOST_KEY,
    ...(firewall !== undefined ? { firewall } : {}),
  };
}
