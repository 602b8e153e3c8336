import * as pulumi from "@pulumi/pulumi";
import { HetznerMachineArgs } from "../../args";
import { checkBoolean, checkPattern, checkStringMap, keysMatching, show } from "../../checks";
import { Checker, InputError } from "../../inputs";
import { sourceFields } from "../fields";

export const DEFAULT_LOCATION = "fsn1";
export const DEFAULT_SERVER_TYPE = "cx23";
export const DEFAULT_IMAGE = "ubuntu-24.04";
/** Hetzner takes 32 KiB of user data; DockerHost's own part and the MIME framing take about 1 KiB. */
export const MAX_USER_DATA_BYTES = 31 * 1024;

/** The `hetzner` inputs, checked, defaults filled in. */
export interface HetznerInputs {
  location: pulumi.Input<string>;
  serverType: pulumi.Input<string>;
  image: pulumi.Input<string>;
  networkId?: pulumi.Input<number>;
  staticIp: boolean;
  ipv4: pulumi.Input<boolean>;
  ipv6: pulumi.Input<boolean>;
  allowIcmp: pulumi.Input<boolean>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  userData?: pulumi.Input<string>;
}

const LOCATION = /^[a-z]{3}\d?$/;
const SERVER_TYPE = /^[a-z]+\d+[a-z]*$/;
const IMAGE = /^([a-z0-9]+([.-][a-z0-9]+)*|\d+)$/;
/** An optional DNS-subdomain prefix and `/`, then a name; `hetzner.cloud/` is Hetzner's own. */
const LABEL_KEY =
  /^(?!hetzner\.cloud\/)([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-_.A-Za-z0-9]{0,61}[A-Za-z0-9])?)?$/;

function checkLabels(value: unknown): void {
  checkStringMap(
    "hetzner.labels",
    value,
    keysMatching(
      LABEL_KEY,
      "an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit; not hetzner.cloud/",
    ),
  );
  for (const [k, v] of Object.entries((value ?? {}) as Record<string, string>)) {
    if (!LABEL_VALUE.test(v)) {
      throw new InputError(
        `hetzner.labels.${k}`,
        `hetzner.labels.${k} must be empty or up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got ${show(v)}`,
      );
    }
  }
}

function checkNetworkId(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(
      "hetzner.networkId",
      `hetzner.networkId must be a network ID (a whole number), got ${show(value)}`,
    );
  }
}

/** Checks the `hetzner` inputs; every path starts with `hetzner.`. */
export function checkHetzner(args: HetznerMachineArgs, check: Checker): HetznerInputs {
  const pattern = (input: string, re: RegExp, what: string) => (v: unknown) => {
    checkPattern(`hetzner.${input}`, v, re, what);
  };
  const flag = (input: string) => (v: unknown) => {
    checkBoolean(`hetzner.${input}`, v);
  };
  check(args.staticIp, flag("staticIp"));
  const ipv4 = check(args.ipv4 ?? true, flag("ipv4"));
  const ipv6 = check(args.ipv6 ?? true, flag("ipv6"));
  // The server needs an address, and the static one is IPv4. Checked now when known, else when both resolve.
  const families = check([ipv4, ipv6], (v) => {
    const [four, six] = v as unknown[];
    if (four === false && six === false) {
      throw new InputError(
        "hetzner.ipv4",
        "hetzner.ipv4 and hetzner.ipv6 are both false: the server needs a public address for SSH and the engine",
      );
    }
    if (four === false && args.staticIp === true) {
      throw new InputError(
        "hetzner.staticIp",
        "hetzner.staticIp is a primary IPv4 address: it needs hetzner.ipv4 (true by default)",
      );
    }
  });
  return {
    location: check(
      args.location ?? DEFAULT_LOCATION,
      pattern("location", LOCATION, 'a location name such as "fsn1", "nbg1", "hel1" or "ash"'),
    ),
    serverType: check(
      args.serverType ?? DEFAULT_SERVER_TYPE,
      pattern("serverType", SERVER_TYPE, 'a server type such as "cx23" or "cax11"'),
    ),
    image: check(
      args.image ?? DEFAULT_IMAGE,
      pattern("image", IMAGE, 'an image name such as "ubuntu-24.04" or an image ID'),
    ),
    networkId: check(args.networkId, checkNetworkId),
    staticIp: args.staticIp ?? false,
    ipv4: pulumi.output(families).apply((f) => f[0] === true),
    ipv6: pulumi.output(families).apply((f) => f[1] === true),
    allowIcmp: check(args.allowIcmp ?? false, flag("allowIcmp")),
    labels: check(args.labels, checkLabels),
    userData: sourceFields("hetzner", check).userData("userData", args.userData, {
      bytes: MAX_USER_DATA_BYTES,
      why: "Hetzner takes 32 KiB of user data, DockerHost's part included",
    }),
  };
}
