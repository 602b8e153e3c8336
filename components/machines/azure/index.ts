import { AzureMachineArgs } from "../../args";
import { FirewallKind } from "../firewall";
import { MachineSource } from "../source";
import { ASG_ID, ASG_ID_FORM, checkAzure } from "./inputs";
import { azureMachine } from "./machine";
import { admitAzureSwarm } from "./swarm";
import { admitAzureSwarmByGroup } from "./swarmGroup";

/** A new Azure VM (Docker Machine's `azure` driver), behind a network security group on its NIC. */
export const azureSource: MachineSource<AzureMachineArgs> = {
  power: {
    declarative: false,
    why: "the Azure Native provider cannot hold a virtual machine's power state",
    alternative:
      "to stop paying for the host, remove the DockerHost from the program; to reboot it, run `docker-host restart NAME`",
  },
  createsMachine: true,
  firewall: {
    kind: FirewallKind.Azure,
    ids: ["resourceGroupName", "networkSecurityGroupName"],
    admitSwarm: admitAzureSwarm,
    // The swarm's "tag": an application security group every member's NIC joins (azure.applicationSecurityGroupIds).
    sharedTag: {
      format: {
        pattern: ASG_ID,
        what: ASG_ID_FORM,
      },
      tagsField: "applicationSecurityGroupIds",
      checkedFields: ["subnetId"],
      onlyKind:
        "an application security group matches the private addresses of NICs in one Azure virtual network, which members elsewhere cannot reach",
      admitSwarm: admitAzureSwarmByGroup,
    },
  },
  check(args, check) {
    const inputs = checkAzure(args, check);
    return { sshPort: 22, create: (ctx) => azureMachine(inputs, ctx) };
  },
};
