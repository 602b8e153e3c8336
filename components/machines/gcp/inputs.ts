import * as pulumi from "@pulumi/pulumi";
import { GcpMachineArgs } from "../../args";
import {
  checkBoolean,
  checkIntegerRange,
  checkPattern,
  checkStringList,
  checkStringMap,
  keysMatching,
  show,
} from "../../checks";
import { Checker, InputError } from "../../inputs";
import { sourceFields } from "../fields";

export const DEFAULT_ZONE = "us-central1-a";
export const DEFAULT_MACHINE_TYPE = "e2-small";
/** Canonical's Ubuntu 24.04 LTS family for x86-64: cloud-init and Google's guest agent, Shielded VM ready. */
export const DEFAULT_IMAGE = "ubuntu-os-cloud/ubuntu-2404-lts-amd64";
export const DEFAULT_DISK_SIZE_GB = 20;
export const DEFAULT_DISK_TYPE = "pd-balanced";
export const DEFAULT_NETWORK = "default";
/** Scopes of an attached service account unless given: access is then up to its IAM roles, as Google advises. */
export const DEFAULT_SCOPES = ["cloud-platform"];
/** GCE keeps a metadata value to 256 KiB; DockerHost's own part of the user data takes about 1 KiB. */
export const MAX_USER_DATA_BYTES = 255 * 1024;

/** The `gcp` inputs, checked, defaults filled in. */
export interface GcpInputs {
  project?: pulumi.Input<string>;
  zone: pulumi.Input<string>;
  machineType: pulumi.Input<string>;
  image: pulumi.Input<string>;
  diskSizeGb: pulumi.Input<number>;
  diskType: pulumi.Input<string>;
  network?: pulumi.Input<string>;
  subnetwork?: pulumi.Input<string>;
  staticIp: boolean;
  serviceAccountEmail?: pulumi.Input<string>;
  serviceAccountScopes?: pulumi.Input<pulumi.Input<string>[]>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  networkTags?: pulumi.Input<pulumi.Input<string>[]>;
  userData?: pulumi.Input<string>;
}

const PROJECT = /^([a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;
const MACHINE_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const DISK_TYPE = /^[a-z]+(-[a-z]+)+$/;
/** A network or subnetwork: its name, or a path or self link ending in one. */
const NETWORK = /^([A-Za-z0-9._:/-]*\/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[a-z0-9][a-z0-9._-]*@[a-z0-9.-]+\.[a-z]+$/;
const RFC1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/** GCP labels: keys and values of lowercase letters, digits, `_` and `-` (keys start with a letter), at most 63. */
export function checkLabels(path: string, value: unknown): void {
  checkStringMap(
    path,
    value,
    keysMatching(
      LABEL_KEY,
      "lowercase letters, digits, _ and -, starting with a letter, at most 63",
    ),
  );
  for (const [k, v] of Object.entries((value ?? {}) as Record<string, string>)) {
    if (!LABEL_VALUE.test(v)) {
      throw new InputError(
        `${path}.${k}`,
        `${path}.${k} must be a label value (lowercase letters, digits, _ and -, at most 63), got ${show(v)}`,
      );
    }
  }
}

function checkNetworkTags(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((t) => typeof t !== "string" || !RFC1035.test(t))) {
    throw new InputError(
      "gcp.networkTags",
      `gcp.networkTags must be a list of network tags (lowercase letters, digits and inner '-', starting with a letter, at most 63), got ${show(value)}`,
    );
  }
}

/** Checks the `gcp` inputs; every path starts with `gcp.`. */
export function checkGcp(args: GcpMachineArgs, check: Checker): GcpInputs {
  const pattern = (input: string, re: RegExp, what: string) => (v: unknown) => {
    checkPattern(`gcp.${input}`, v, re, what);
  };
  check(args.staticIp, (v) => {
    checkBoolean("gcp.staticIp", v);
  });
  // Scopes belong to a service account: alone they would silently attach nothing.
  if (args.serviceAccountScopes !== undefined && args.serviceAccountEmail === undefined) {
    check(null, () => {
      throw new InputError(
        "gcp.serviceAccountScopes",
        "gcp.serviceAccountScopes needs gcp.serviceAccountEmail: by default the instance has no service account",
      );
    });
  }
  return {
    project: check(
      args.project,
      pattern("project", PROJECT, 'a project ID such as "my-project-123"'),
    ),
    zone: check(
      args.zone ?? DEFAULT_ZONE,
      pattern("zone", ZONE, 'a zone such as "europe-west1-b"'),
    ),
    machineType: check(
      args.machineType ?? DEFAULT_MACHINE_TYPE,
      pattern("machineType", MACHINE_TYPE, 'a machine type such as "e2-small"'),
    ),
    image: check(
      args.image ?? DEFAULT_IMAGE,
      pattern("image", IMAGE, `an image or image family such as "${DEFAULT_IMAGE}"`),
    ),
    diskSizeGb: check(args.diskSizeGb ?? DEFAULT_DISK_SIZE_GB, (v) => {
      checkIntegerRange("gcp.diskSizeGb", v, 10, 65536);
    }),
    diskType: check(
      args.diskType ?? DEFAULT_DISK_TYPE,
      pattern("diskType", DISK_TYPE, 'a disk type such as "pd-balanced"'),
    ),
    network: check(
      args.network,
      pattern("network", NETWORK, 'a network name such as "default" or its self link'),
    ),
    subnetwork: check(
      args.subnetwork,
      pattern("subnetwork", NETWORK, "a subnetwork name or its self link"),
    ),
    staticIp: args.staticIp ?? false,
    serviceAccountEmail: check(
      args.serviceAccountEmail,
      pattern("serviceAccountEmail", EMAIL, "a service account's e-mail"),
    ),
    serviceAccountScopes: check(args.serviceAccountScopes, (v) => {
      checkStringList("gcp.serviceAccountScopes", v);
    }),
    labels: check(args.labels, (v) => {
      checkLabels("gcp.labels", v);
    }),
    networkTags: check(args.networkTags, checkNetworkTags),
    userData: sourceFields("gcp", check).userData("userData", args.userData, {
      bytes: MAX_USER_DATA_BYTES,
      why: "GCE keeps 256 KiB per metadata value, DockerHost's part included",
    }),
  };
}
