import * as pulumi from "@pulumi/pulumi";
import { PowerState } from "../../args";
import { cloudMachine, generateSshKeys, userDataWithHostKey, warnWorldOpen } from "../cloud";
import { FirewallKind } from "../firewall";
import { Machine } from "../machine";
import { MachineContext } from "../source";
import { hostRules } from "./firewall";
import { DEFAULT_NETWORK, DEFAULT_SCOPES, GcpInputs } from "./inputs";
import { gceName, labelValue } from "./names";
import { GcpCompute, gcpComputeSdk } from "./sdk";

/**
 * The login user, delivered through the `ssh-keys` metadata. cloud-init takes keys from there only for its default
 * user (`ubuntu`) and `cloudinit`, so it leaves this one alone; Google's guest agent creates it, installs the key and
 * adds it to the `google-sudoers` group, whose members have passwordless sudo (its /etc/sudoers.d/google_sudoers).
 */
export const LOGIN_USER = "dockerhost";

/** The region of a zone (`europe-west1-b` → `europe-west1`): the static address must be in it. */
export function zoneRegion(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

/**
 * A Compute Engine instance for DockerHost: Ubuntu 24.04 LTS (kept after the first deploy), Shielded VM, no service
 * account unless one is given, a network tag of its own that DockerHost's firewall rules (created first, so they
 * protect the first boot) target, the login key in the `ssh-keys` metadata with project-wide keys and OS Login
 * off for this instance, the host key in the `user-data` metadata that cloud-init reads, optionally a static
 * address. A given network or subnetwork is used and never changed.
 */
export function gcpMachine(inputs: GcpInputs, ctx: MachineContext): Machine {
  const { name, parent } = ctx;
  const running = ctx.power === PowerState.Running;
  const compute = gcpComputeSdk(`DockerHost "${name}": the gcp source`);
  warnWorldOpen("gcp", ctx.allowedCidrs, parent);
  const keys = generateSshKeys(name, "ED25519", parent);
  // Every GCE name and the tag derive from this: unique per project/stack/name, stable across runs.
  const base = gceName(name, `${pulumi.getProject()}/${pulumi.getStack()}/${name}`);
  const tag = base;
  const project = inputs.project;
  const region = pulumi.output(inputs.zone).apply(zoneRegion);
  const labels = pulumi.output(inputs.labels ?? {}).apply((own): Record<string, string> => ({
    "docker-host": labelValue(name),
    "managed-by": "pulumi",
    ...(own as Record<string, string>),
  }));

  const network = gcpNetwork(compute, inputs, region, parent);
  const rules = hostRules(compute, { base, tag, network, project }, ctx);
  const firewallRules = [...rules.allow, ...rules.deny];
  const staticIp = inputs.staticIp
    ? new compute.Address(
        `${name}-static-ip`,
        {
          name: `${base}-ip`,
          project,
          region,
          addressType: "EXTERNAL",
          networkTier: "PREMIUM",
          labels,
        },
        { parent, deleteBeforeReplace: true },
      )
    : undefined;

  const instance = new compute.Instance(
    `${name}-vm`,
    {
      name: base,
      project,
      zone: inputs.zone,
      machineType: inputs.machineType,
      // A machine type or service account change stops and restarts the VM instead of failing.
      allowStoppingForUpdate: true,
      // Compute Engine holds the power state on the instance (`power`): TERMINATED is a stopped VM whose disk,
      // internal address and static address stay; an ephemeral external address is released. The provider reads
      // the instance back after the change, so a new external address is known in the same update.
      desiredStatus: running ? "RUNNING" : "TERMINATED",
      bootDisk: {
        autoDelete: true,
        initializeParams: {
          image: inputs.image,
          size: inputs.diskSizeGb,
          type: inputs.diskType,
          labels,
        },
      },
      networkInterfaces: [
        {
          // GCE needs one of them: without either, the `default` network (its subnetwork of the region).
          network:
            inputs.network ?? (inputs.subnetwork === undefined ? DEFAULT_NETWORK : undefined),
          subnetwork: inputs.subnetwork,
          // An ephemeral external address, or the static one.
          accessConfigs: [{ natIp: staticIp?.address, networkTier: "PREMIUM" }],
        },
      ],
      tags: pulumi.output(inputs.networkTags ?? []).apply((own) => [...new Set([tag, ...own])]),
      metadata: pulumi
        .all([userDataWithHostKey(keys.hostKey, inputs.userData), keys.loginKey.publicKeyOpenssh])
        .apply(([userData, login]) => ({
          "ssh-keys": `${LOGIN_USER}:${login.trim()} ${LOGIN_USER}`,
          // Only the key above logs in: not the project's keys, not OS Login (which would ignore it).
          "block-project-ssh-keys": "TRUE",
          "enable-oslogin": "FALSE",
          "user-data": userData,
        })),
      shieldedInstanceConfig: {
        enableSecureBoot: true,
        enableVtpm: true,
        enableIntegrityMonitoring: true,
      },
      // No service account unless one is given: nothing on the VM (containers included) gets Google credentials.
      serviceAccount:
        inputs.serviceAccountEmail !== undefined
          ? {
              email: inputs.serviceAccountEmail,
              scopes: inputs.serviceAccountScopes ?? DEFAULT_SCOPES,
            }
          : undefined,
      labels,
    },
    {
      parent,
      // The rules exist before the first boot; the name is fixed, so a replacement deletes the old VM first.
      dependsOn: firewallRules,
      deleteBeforeReplace: true,
      // cloud-init reads the user data on the first boot only: new user data means a new instance.
      replaceOnChanges: ['metadata["user-data"]'],
      // The image behind a family moves on: keep the one the disk was made from; changing the input replaces.
      ignoreChanges: ["bootDisk.initializeParams.image"],
      replacementTrigger: inputs.image,
    },
  );

  const nic = instance.networkInterfaces.apply((nics) => nics[0]);
  const address = (staticIp?.address ?? nic.apply((n) => n?.accessConfigs?.[0]?.natIp)).apply(
    (ip) => {
      if (ip !== undefined && ip !== "") return ip;
      // A stopped instance has released its ephemeral address: none until it runs again.
      if (!running) return "";
      throw new Error(`DockerHost "${name}": GCE assigned no external address to ${base}`);
    },
  );
  const ruleNetwork = rules.deny[0]?.network ?? pulumi.output(network);
  return cloudMachine({
    address,
    privateIp: nic.apply((n) => n?.networkIp ?? ""),
    user: LOGIN_USER,
    keys,
    dependsOn: [instance, ...firewallRules, ...(staticIp ? [staticIp] : [])],
    // The instance holds its power state itself: a start is an update of it, which the steps already follow.
    powerState: instance,
    firewall: {
      kind: FirewallKind.Gcp,
      project: instance.project,
      network: ruleNetwork,
      // Published once DockerHost's own rules exist, like the other clouds' firewall ids.
      targetTag: pulumi.all(firewallRules.map((r) => r.id)).apply(() => tag),
    },
  });
}

/**
 * The network of the host's firewall rules: the given one, else the given subnetwork's (read, never changed),
 * else `default`.
 */
function gcpNetwork(
  compute: GcpCompute,
  inputs: GcpInputs,
  region: pulumi.Output<string>,
  parent: pulumi.Resource,
): pulumi.Input<string> {
  if (inputs.network !== undefined) return inputs.network;
  if (inputs.subnetwork === undefined) return DEFAULT_NETWORK;
  const subnetwork = pulumi.output(inputs.subnetwork);
  const byLink = subnetwork.apply((s) => s.includes("/"));
  return compute.getSubnetworkOutput(
    {
      selfLink: pulumi.all([subnetwork, byLink]).apply(([s, link]) => (link ? s : undefined)),
      name: pulumi.all([subnetwork, byLink]).apply(([s, link]) => (link ? undefined : s)),
      region,
      project: inputs.project,
    },
    { parent },
  ).network;
}
