import { GcpMachineArgs } from "../../args";
import { FirewallKind } from "../firewall";
import { MachineSource } from "../source";
import { checkGcp } from "./inputs";
import { gcpMachine } from "./machine";
import { admitGcpSwarm } from "./swarm";

/** A new Compute Engine instance (Docker Machine's `google` driver), behind firewall rules aimed at a tag of its own. */
export const gcpSource: MachineSource<GcpMachineArgs> = {
  power: { declarative: true },
  createsMachine: true,
  firewall: {
    kind: FirewallKind.Gcp,
    ids: ["project", "network", "targetTag"],
    idFormats: {
      targetTag: {
        pattern: /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
        what: "a network tag (lowercase letters, digits and inner '-', starting with a letter)",
      },
    },
    admitSwarm: admitGcpSwarm,
  },
  check(args, check) {
    const inputs = checkGcp(args, check);
    return { sshPort: 22, create: (ctx) => gcpMachine(inputs, ctx) };
  },
};
