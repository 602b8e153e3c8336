// DockerSwarm at scale, under Pulumi's mocks: a measurement, not a test (bench/swarm-scale.sh runs it; figures in
// BENCHMARKS.md). For N DockerHosts of one cloud in one swarm (3 managers, the rest workers) it prints the resources
// the program registers, the firewall rules (on the busiest firewall, and the swarm's), the sources in the longest
// rule, the program's time and its peak memory.
//
// Each (cloud, N) runs in a process of its own (`--one CLOUD N COMPONENTS SWARM`), so that its peak memory is its
// own: the process's maxRSS (Node, the SDKs, the mocks and the program). The time is the program's: from the first
// DockerHost's construction until every resource is registered and every output the program waits for has
// resolved; loading the cloud's SDK (a constant) comes before it and is printed apart.
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type * as Components from "../components";
import type * as AzureSdk from "../components/machines/azure/sdk";
import { makeCertificate } from "../tests/helpers/openssl";
import { cloudCall, cloudState } from "../tests/unit/helpers/cloudMocks";
import { floorProgram, Registration } from "./swarm-scale-floor";
import { DROPLETS_PER_FIREWALL } from "../components/machines/digitalocean/swarm";
import { dropUnreadOutputs } from "./unreadOutputs";

// digitalocean-tag: DigitalOcean members carrying a tag named in DockerSwarm's `firewallTags` (one swarm firewall).
// azure-asg: Azure members in one given subnet, their NICs in an application security group named in DockerSwarm's
// `firewallTags` (each member's rules admit the group).
type Cloud = "aws" | "digitalocean" | "digitalocean-tag" | "azure" | "azure-asg";
const CLOUDS: Cloud[] = ["aws", "digitalocean", "digitalocean-tag", "azure", "azure-asg"];
const SWARM_TAG = "swarm-bench";
const AZURE_NET =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/bench/providers/Microsoft.Network";
const SWARM_SUBNET = `${AZURE_NET}/virtualNetworks/swarm/subnets/hosts`;
const SWARM_ASG = `${AZURE_NET}/applicationSecurityGroups/swarm-bench`;
/** The SDK modules each cloud's DockerHosts load. */
const SDKS: Record<Cloud, string[]> = {
  aws: ["@pulumi/aws"],
  digitalocean: ["@pulumi/digitalocean"],
  "digitalocean-tag": ["@pulumi/digitalocean"],
  azure: ["compute", "network", "resources"].map((m) => `@pulumi/azure-native/${m}`),
  "azure-asg": ["compute", "network", "resources"].map((m) => `@pulumi/azure-native/${m}`),
};
const MANAGERS = 3;
/**
 * What a run constructs: the N DockerHosts in one DockerSwarm, the DockerHosts alone, or the SDK's floor for the
 * DockerHosts alone (their resources built directly with their final inputs: bench/swarm-scale-floor.ts).
 */
type Program = "swarm" | "hosts" | "floor";
/** The name of the DockerSwarm; every resource of the swarm's starts with it. */
const SWARM = "scale";
/** A well-formed ED25519 public key (the swarm pins each host's key; the mocked tls keys are no real keys). */
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyForTests";
const STDOUT: Record<string, string> = {
  wait: "os: debian 12\ndaemon-json-base64: \n",
  install: "installed: 27.5.1\n",
  configure: "engine-version: 27.5.1\n",
  join: "cluster-id: c\nnode-id: n\nmanager-address: 10.0.0.1:2377\nworker-token: SWMTKN-1-x-w\nmanager-token: SWMTKN-1-x-m\n",
};

/** One measurement: what `--one` prints as a JSON line. */
interface Figures {
  cloud: Cloud;
  n: number;
  program: Program;
  resources: number;
  /** Resources of the DockerHosts; of the DockerSwarm (itself and its steps); of the swarm's firewall. */
  hostResources: number;
  swarmSteps: number;
  swarmFirewall: number;
  /** The most inbound rules on one firewall (security group, DigitalOcean firewall, network security group). */
  busiestFirewall: number;
  /** The most of the swarm's rules on one firewall. */
  busiestSwarmFirewall: number;
  /** The most sources (addresses, Droplet IDs, groups) in one rule. */
  longestRule: number;
  sdkSeconds: number;
  seconds: number;
  peakMb: number;
}

/** The number of sources a rule lists (an AWS rule has one: a range or a group). */
function sources(rule: Record<string, unknown>): number {
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  return (
    count(rule.sourceAddresses) +
    count(rule.sourceDropletIds) +
    count(rule.sourceTags) +
    count(rule.sourceAddressPrefixes) +
    count(rule.sourceApplicationSecurityGroups) +
    (rule.sourceAddressPrefix !== undefined ? 1 : 0)
  );
}

/** Resolves once `output` has and the registrations in flight are done (`count` stays put). */
async function settled(output: pulumi.Output<unknown>, count: () => number): Promise<void> {
  // An output's promise rejects with the program's error, if any (an input check, a failed registration).
  await (output as unknown as { promise(): Promise<unknown> }).promise();
  for (let last = -1; last !== count();) {
    last = count();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  }
}

/** The floor's resource options per type: Azure Native's without the version aliases, as DockerHost's are. */
function floorOptions(componentsDir: string): (type: string) => pulumi.CustomResourceOptions {
  let azure: (o: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions = (o) => o;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    azure = (require(path.join(componentsDir, "machines/azure/sdk")) as typeof AzureSdk)
      .azureOptions;
  } catch {
    // An older tree without it: its Azure resources keep the aliases too.
  }
  return (type) => (type.startsWith("azure-native:") ? azure({}) : {});
}

/** Runs one (cloud, N) under mocks in this process and returns its figures. */
async function one(cloud: Cloud, n: number, componentsDir: string, program: Program) {
  let resources = 0;
  const kinds = { host: 0, steps: 0, firewall: 0 };
  /** Inbound rules per firewall, and how many of them are the swarm's. */
  const rulesOn = new Map<string, { all: number; swarm: number }>();
  let longestRule = 0;
  const rule = (firewall: string, swarm: boolean, count = 1) => {
    const seen = rulesOn.get(firewall) ?? { all: 0, swarm: 0 };
    seen.all += count;
    if (swarm) seen.swarm += count;
    rulesOn.set(firewall, seen);
  };
  // Each machine its own addresses and Droplet ID, as a cloud hands them out.
  let serial = 0;
  const ip = (prefix: string) => {
    serial++;
    return `${prefix}.${String(Math.floor(serial / 250))}.${String((serial % 250) + 1)}`;
  };
  // A real certificate: the engine steps read the server certificate's names and dates.
  const certificate = makeCertificate("mock", "DNS:localhost,IP:127.0.0.1");
  /** For the floor: what one probe DockerHost registers, recorded while `recording`. */
  const recorded: Registration[] = [];
  let recording = false;

  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        resources++;
        const inputs = args.inputs as Record<string, unknown>;
        if (recording) recorded.push({ type: args.type, name: args.name, inputs });
        const swarm = args.name === SWARM || args.name.startsWith(`${SWARM}-`);
        if (!swarm) kinds.host++;
        else if (args.type === "command:remote:Command" || args.name === SWARM) kinds.steps++;
        else kinds.firewall++;
        const state: Record<string, unknown> = { ...cloudState(args.type, args.name, inputs) };
        let id = `${args.name}-id`;
        switch (args.type) {
          case "tls:index/privateKey:PrivateKey":
            state.privateKeyPem = "-----BEGIN PRIVATE KEY-----\nMOCK\n-----END PRIVATE KEY-----\n";
            state.privateKeyOpenssh = state.privateKeyPem;
            state.publicKeyOpenssh = HOST_KEY;
            break;
          case "tls:index/selfSignedCert:SelfSignedCert":
          case "tls:index/locallySignedCert:LocallySignedCert":
            state.certPem = certificate;
            state.validityEndTime = new Date(Date.now() + 365 * 86_400_000).toISOString();
            break;
          case "command:remote:Command":
            state.stdout = STDOUT[args.name.split("-").pop() ?? ""] ?? "";
            state.stderr = "";
            break;
          case "aws:ec2/instance:Instance":
            state.privateIp = ip("172.31");
            state.publicIp = ip("198.18");
            break;
          case "digitalocean:index/droplet:Droplet":
            id = String(1000 + serial++);
            state.ipv4Address = ip("198.18");
            state.ipv4AddressPrivate = ip("10.108");
            break;
          case "azure-native:network:PublicIPAddress":
            state.ipAddress = ip("198.18");
            break;
          case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            rule(String(inputs.securityGroupId), swarm);
            longestRule = Math.max(longestRule, 1);
            break;
          case "digitalocean:index/firewall:Firewall": {
            const inbound = (inputs.inboundRules ?? []) as Record<string, unknown>[];
            rule(args.name, swarm, inbound.length);
            for (const r of inbound) longestRule = Math.max(longestRule, sources(r));
            break;
          }
          case "azure-native:network:SecurityRule":
            if (inputs.direction === "Inbound") {
              rule(String(inputs.networkSecurityGroupName), swarm);
              longestRule = Math.max(longestRule, sources(inputs));
            }
            break;
        }
        return { id, state: { ...inputs, ...state } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const inputs = args.inputs as Record<string, unknown>;
        return cloudCall(args.token, inputs) ?? inputs;
      },
    },
    "bench",
    "scale",
    false,
  );

  // The components under test, from this tree or another one (e.g. an older commit's build).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerHost, DockerSwarm } = require(componentsDir) as typeof Components;
  const sdkStart = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const sdk of SDKS[cloud]) require(sdk);
  const sdkEnd = performance.now();
  const machine: Record<Cloud, Components.DockerHostArgs> = {
    aws: { aws: { region: "us-east-1" } },
    digitalocean: { digitalocean: { region: "fra1" } },
    "digitalocean-tag": { digitalocean: { region: "fra1", tags: [SWARM_TAG] } },
    azure: { azure: { location: "westeurope" } },
    "azure-asg": {
      azure: {
        location: "westeurope",
        subnetId: SWARM_SUBNET,
        applicationSecurityGroupIds: [SWARM_ASG],
      },
    },
  };
  const hostArgs: Components.DockerHostArgs = {
    ...machine[cloud],
    allowedCidrs: ["198.51.100.0/24"],
    engine: { liveRestore: false },
  };
  const names = Array.from({ length: n }, (_, i) => `h${String(i)}`);
  if (program === "floor") {
    // One DockerHost first, its registrations recorded, then forgotten by the counts (its memory is not: a few MB).
    recording = true;
    await settled(new DockerHost("probe", hostArgs).dockerHost, () => resources);
    recording = false;
    resources = 0;
    kinds.host = 0;
    rulesOn.clear();
  }
  const start = performance.now();
  const hosts = program === "floor" ? [] : names.map((name) => new DockerHost(name, hostArgs));
  const waitFor: pulumi.Output<unknown>[] =
    program === "floor"
      ? floorProgram("probe", recorded, names, floorOptions(componentsDir))
      : hosts.map((h) => h.dockerHost);
  if (program === "swarm") {
    const swarm = new DockerSwarm(SWARM, {
      managers: hosts.slice(0, MANAGERS),
      workers: hosts.slice(MANAGERS),
      ...(cloud === "digitalocean-tag" ? { firewallTags: { digitalocean: SWARM_TAG } } : {}),
      // In one subnet, each its own private address: the default advertise address, which the group matches.
      ...(cloud === "azure-asg" ? { firewallTags: { azure: SWARM_ASG } } : {}),
      // Azure DockerHosts each have a network of their own (the same private address): they advertise publicIp.
      ...(cloud === "azure"
        ? {
            advertiseAddress: Object.fromEntries(
              hosts.map((h, i): [string, pulumi.Output<string>] => [names[i] ?? "", h.publicIp]),
            ),
          }
        : {}),
    });
    waitFor.push(swarm.nodes);
  }
  await settled(pulumi.all(waitFor), () => resources);
  const seconds = (performance.now() - start) / 1000;
  const counts = [...rulesOn.values()];
  const figures: Figures = {
    cloud,
    n,
    program,
    resources,
    hostResources: kinds.host,
    swarmSteps: kinds.steps,
    swarmFirewall: kinds.firewall,
    busiestFirewall: Math.max(0, ...counts.map((c) => c.all)),
    busiestSwarmFirewall: Math.max(0, ...counts.map((c) => c.swarm)),
    longestRule,
    sdkSeconds: (sdkEnd - sdkStart) / 1000,
    seconds,
    peakMb: process.resourceUsage().maxRSS / 1024,
  };
  return figures;
}

interface Options {
  ns: number[];
  clouds: Cloud[];
  components: string;
  baseline: boolean;
  floor: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    ns: [10, 50, 200],
    clouds: CLOUDS,
    components: path.join(__dirname, "..", "components"),
    baseline: false,
    floor: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ""];
    if (flag === "--baseline" || flag === "--floor") {
      options[flag === "--baseline" ? "baseline" : "floor"] = true;
      continue;
    }
    i++;
    if (flag === "--n") options.ns = value.split(",").map(Number);
    else if (flag === "--clouds") options.clouds = value.split(",") as Cloud[];
    else if (flag === "--components") options.components = path.resolve(value);
    else {
      throw new Error(
        `unknown option ${String(flag)}: --n 10,50,200 --clouds ${CLOUDS.join(",")} --components DIR --baseline --floor`,
      );
    }
  }
  if (
    options.ns.some((x) => !Number.isInteger(x) || x < 2) ||
    options.clouds.some((c) => !CLOUDS.includes(c))
  ) {
    throw new Error(`--n takes integers of at least 2, --clouds some of ${CLOUDS.join(",")}`);
  }
  return options;
}

/** Runs one measurement in a child process: the same file, under ts-node when it is TypeScript. */
function measure(cloud: Cloud, n: number, components: string, program: Program): Figures | string {
  const loader = __filename.endsWith(".ts") ? ["--require", "ts-node/register/transpile-only"] : [];
  const child = spawnSync(
    process.execPath,
    [...loader, __filename, "--one", cloud, String(n), components, program],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status === 0 && line.startsWith("{")) return JSON.parse(line) as Figures;
  const why = child.stderr.trim().split("\n").slice(-3).join(" | ");
  return `failed (exit ${String(child.status ?? child.signal)}): ${why}`;
}

const rules = (f: Figures, count: number) => (f.program === "floor" ? "-" : String(count));
const COLUMNS: [string, number, (f: Figures) => string][] = [
  ["cloud", 12, (f) => f.cloud],
  ["N", 4, (f) => String(f.n)],
  ["program", 7, (f) => f.program],
  ["resources", 9, (f) => String(f.resources)],
  ["hosts'", 6, (f) => String(f.hostResources)],
  ["swarm steps", 11, (f) => String(f.swarmSteps)],
  ["swarm firewall", 14, (f) => String(f.swarmFirewall)],
  // The floor's resources all name the probe's group: its rule counts mean nothing.
  ["rules on busiest fw", 19, (f) => rules(f, f.busiestFirewall)],
  ["swarm rules on one fw", 21, (f) => rules(f, f.busiestSwarmFirewall)],
  ["sources in longest rule", 23, (f) => rules(f, f.longestRule)],
  ["program s", 9, (f) => f.seconds.toFixed(1)],
  ["peak MB", 7, (f) => f.peakMb.toFixed(0)],
];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--one") {
    // bench/swarm-scale.sh --drop-unread-outputs: an experiment on the SDK's cost (bench/unreadOutputs.ts).
    if (process.env.SWARM_SCALE_DROP_UNREAD_OUTPUTS === "1") dropUnreadOutputs();
    const figures = await one(argv[1] as Cloud, Number(argv[2]), argv[3] ?? "", argv[4] as Program);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    // The mocked runtime keeps handles open: leave once the figures are out.
    process.exit(0);
  }
  const options = parseArgs(argv);
  const mode = __filename.endsWith(".ts") ? "TypeScript under ts-node" : "compiled JavaScript";
  console.log(`components: ${options.components} (${mode}, Node ${process.version})`);
  console.log(COLUMNS.map(([title, width]) => title.padStart(width)).join("  "));
  for (const cloud of options.clouds) {
    for (const n of options.ns) {
      if (cloud === "digitalocean" && n > DROPLETS_PER_FIREWALL) {
        console.log(
          `${cloud.padStart(12)}  ${String(n).padStart(4)}  refused before any resource: over ${String(DROPLETS_PER_FIREWALL)} Droplets by ID need firewallTags (digitalocean-tag)`,
        );
        continue;
      }
      const programs: Program[] = [
        ...(options.floor ? (["floor"] as const) : []),
        ...(options.baseline ? (["hosts"] as const) : []),
        "swarm",
      ];
      for (const program of programs) {
        const f = measure(cloud, n, options.components, program);
        if (typeof f === "string") {
          console.log(`${cloud.padStart(12)}  ${String(n).padStart(4)}  ${f}`);
          continue;
        }
        console.log(COLUMNS.map(([, width, value]) => value(f).padStart(width)).join("  "));
        if (cloud === options.clouds[0] && n === options.ns[0] && program === "swarm") {
          console.log(
            `(loading ${SDKS[cloud].join(", ")}, before the program: ${f.sdkSeconds.toFixed(1)} s)`,
          );
        }
      }
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
