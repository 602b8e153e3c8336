import { DigitalOceanMachineArgs } from "../../args";
import { FirewallKind } from "../firewall";
import { MachineSource } from "../source";
import { checkDigitalOcean, DROPLET_TAG } from "./inputs";
import { digitalOceanMachine } from "./machine";
import {
  admitDigitalOceanSwarm,
  admitDigitalOceanSwarmByTag,
  DROPLETS_PER_FIREWALL,
} from "./swarm";

/** A new Droplet (Docker Machine's `digitalocean` driver), behind a cloud firewall attached by a tag of its own. */
export const digitalOceanSource: MachineSource<DigitalOceanMachineArgs> = {
  power: {
    declarative: false,
    why: "the DigitalOcean provider cannot hold a Droplet's power state (and a powered-off Droplet is billed as a running one)",
    alternative:
      "to stop paying for the host, remove the DockerHost from the program; to reboot it, run `docker-host restart NAME`",
  },
  createsMachine: true,
  firewall: {
    kind: FirewallKind.DigitalOcean,
    ids: ["dropletId"],
    idFormats: { dropletId: { pattern: /^\d+$/, what: "a Droplet ID (digits)" } },
    admitSwarm: admitDigitalOceanSwarm,
    memberLimit: {
      count: DROPLETS_PER_FIREWALL,
      why: `a DigitalOcean firewall applies to at most ${String(DROPLETS_PER_FIREWALL)} Droplets by ID: add one tag to each member DockerHost's digitalocean.tags and name it in firewallTags.digitalocean`,
    },
    sharedTag: {
      format: {
        pattern: DROPLET_TAG,
        what: "a Droplet tag (letters, digits, ':', '-', '_', at most 255)",
      },
      tagsField: "dropletTags",
      admitSwarm: admitDigitalOceanSwarmByTag,
    },
  },
  check(args, check) {
    const inputs = checkDigitalOcean(args, check);
    return { sshPort: 22, create: (ctx) => digitalOceanMachine(inputs, ctx) };
  },
};
