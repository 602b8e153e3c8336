import { HetznerMachineArgs } from "../../args";
import { FirewallKind } from "../firewall";
import { MachineSource } from "../source";
import { checkHetzner } from "./inputs";
import { hetznerMachine } from "./machine";
import { admitHetznerSwarm } from "./swarm";

/** A new Hetzner Cloud server (the community `hetzner` driver of Docker Machine), behind a firewall of its own. */
export const hetznerSource: MachineSource<HetznerMachineArgs> = {
  power: {
    declarative: false,
    why: "the Hetzner Cloud provider cannot hold a server's power state (and a powered-off server is billed as a running one)",
    alternative:
      "to stop paying for the host, remove the DockerHost from the program; to reboot it, run `docker-host restart NAME`",
  },
  createsMachine: true,
  firewall: {
    kind: FirewallKind.Hetzner,
    ids: ["serverId"],
    idFormats: { serverId: { pattern: /^\d+$/, what: "a Hetzner server ID (digits)" } },
    admitSwarm: admitHetznerSwarm,
  },
  check(args, check) {
    const inputs = checkHetzner(args, check);
    return { sshPort: 22, create: (ctx) => hetznerMachine(inputs, ctx) };
  },
};
