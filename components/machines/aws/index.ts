import { AwsMachineArgs } from "../../args";
import { FirewallKind } from "../firewall";
import { MachineSource } from "../source";
import { checkAws } from "./inputs";
import { awsMachine } from "./machine";
import { admitAwsSwarm } from "./swarm";

/** A new EC2 instance (Docker Machine's `amazonec2` driver), behind a security group of its own. */
export const awsSource: MachineSource<AwsMachineArgs> = {
  power: { declarative: true },
  createsMachine: true,
  firewall: {
    kind: FirewallKind.Aws,
    // What the swarm's security group needs: the interface it goes onto, and the VPC it is created in.
    ids: ["networkInterfaceId", "vpcId"],
    admitSwarm: admitAwsSwarm,
  },
  check(args, check, power) {
    const inputs = checkAws(args, check, power);
    return { sshPort: 22, create: (ctx) => awsMachine(inputs, ctx) };
  },
};
