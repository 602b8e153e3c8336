import * as pulumi from "@pulumi/pulumi";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type * as components from "../../../components";
import { makeCertificate } from "../../helpers/openssl";
import { cloudCall, cloudId, cloudState } from "../../unit/helpers/cloudMocks";

// What a cloud source of DockerHost hands its VM, rendered by the real code: a DockerHost with that cloud source is
// constructed under Pulumi's mocks (in a child process, so the mocks never touch the suite's own process) and the
// inputs its VM resource receives are read back: the user data, the login public key the cloud installs, and the
// SSH connection DockerHost would use (user, login private key, pinned host key). The mocked tls.PrivateKey
// returns real key pairs made here by ssh-keygen, so the pinned host key is a real one that a real sshd can serve.
// Only public things are used: the DockerHost class, the cloud arguments, the cloud providers' resource types.

/** One cloud source as the seeded sandbox plays it. */
export interface CloudSource {
  /** The DockerHost argument naming the source. */
  source: "aws" | "digitalocean" | "azure" | "gcp" | "hetzner";
  /** The resource type of the VM (the cloud provider's public type token). */
  vmType: string;
  /** The user data input of the source (`userData`, `customData`). */
  userDataInput: string;
}

/**
 * Every cloud source of DockerHost. A source added later gets a row here (and its VM's user data and login key in
 * `vmInputs` below); the suite runs every row.
 */
export const CLOUD_SOURCES: CloudSource[] = [
  { source: "aws", vmType: "aws:ec2/instance:Instance", userDataInput: "userData" },
  {
    source: "digitalocean",
    vmType: "digitalocean:index/droplet:Droplet",
    userDataInput: "userData",
  },
  { source: "azure", vmType: "azure-native:compute:VirtualMachine", userDataInput: "customData" },
  { source: "gcp", vmType: "gcp:compute/instance:Instance", userDataInput: "userData" },
  { source: "hetzner", vmType: "hcloud:index/server:Server", userDataInput: "userData" },
];

/** What one DockerHost with a cloud source gave its VM. */
export interface RenderedMachine {
  /** The DockerHost's name under the mocks. */
  name: string;
  source: CloudSource["source"];
  /** The user data exactly as the VM resource received it (decoded where the cloud takes base64). */
  userData: string;
  /** The login public key the cloud hands the VM (what cloud-init gets as the meta-data's public-keys). */
  loginPublicKey: string;
  /** The user DockerHost logs in as: the cloud's default user. */
  user: string;
  /** The login private key (OpenSSH). */
  privateKey: string;
  /** The host key DockerHost pins in every remote command. */
  hostKey: string;
}

/** A DockerHost to render: its name, its cloud source and the user's own part (none when undefined). */
export interface RenderRequest {
  name: string;
  source: CloudSource["source"];
  userPart?: string;
}

/** Renders the machines in a child process (ts-node, Pulumi mocks); throws with the child's output on failure. */
export function renderCloudMachines(requests: RenderRequest[]): RenderedMachine[] {
  const out = execFileSync(
    process.execPath,
    ["--require", "ts-node/register/transpile-only", __filename],
    {
      input: JSON.stringify(requests),
      encoding: "utf8",
      maxBuffer: 64 << 20,
      timeout: 300_000,
      cwd: path.join(__dirname, "..", "..", ".."),
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  return JSON.parse(out) as RenderedMachine[];
}

/** A real OpenSSH key pair of the algorithm a tls.PrivateKey asks for. */
function sshKeyPair(inputs: Record<string, unknown>): { privateKey: string; publicKey: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "dh-mockkey-"));
  try {
    const file = path.join(dir, "key");
    const text = (v: unknown, otherwise: string) =>
      typeof v === "string" || typeof v === "number" ? String(v) : otherwise;
    const algorithm = text(inputs.algorithm, "RSA");
    const type =
      algorithm === "ED25519"
        ? ["-t", "ed25519"]
        : algorithm === "ECDSA"
          ? ["-t", "ecdsa", "-b", text(inputs.ecdsaCurve, "P256").slice(1)]
          : ["-t", "rsa", "-b", text(inputs.rsaBits, "2048")];
    execFileSync("ssh-keygen", ["-q", ...type, "-N", "", "-C", "", "-f", file]);
    return {
      privateKey: readFileSync(file, "utf8"),
      // As @pulumi/tls gives it: "TYPE BASE64\n", no comment.
      publicKey: `${readFileSync(`${file}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ")}\n`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The user data and the login public key a VM resource received, per cloud. */
function vmInputs(
  source: CloudSource["source"],
  vm: Record<string, unknown>,
  resources: { type: string; inputs: Record<string, unknown> }[],
): { userData: string; loginPublicKey: string } {
  const secretValue = (v: unknown): unknown =>
    v !== null && typeof v === "object" && "value" in v ? v.value : v;
  const inputOf = (type: string, key: string): string => {
    const found = resources.find((r) => r.type === type);
    if (found === undefined) throw new Error(`no ${type} was registered`);
    return String(secretValue(found.inputs[key]));
  };
  switch (source) {
    case "aws":
      return {
        userData: String(secretValue(vm.userData)),
        loginPublicKey: inputOf("aws:ec2/keyPair:KeyPair", "publicKey"),
      };
    case "digitalocean":
      return {
        userData: String(secretValue(vm.userData)),
        loginPublicKey: inputOf("digitalocean:index/sshKey:SshKey", "publicKey"),
      };
    case "gcp": {
      // The metadata GCE serves: cloud-init reads `user-data`; the guest agent installs `ssh-keys` (USER:KEY USER).
      const metadata = secretValue(vm.metadata) as Record<string, string>;
      const login = (metadata["ssh-keys"] ?? "")
        .replace(/^[^:]*:/, "")
        .split(" ")
        .slice(0, 2)
        .join(" ");
      return { userData: String(metadata["user-data"]), loginPublicKey: login };
    }
    case "hetzner":
      return {
        userData: String(secretValue(vm.userData)),
        loginPublicKey: inputOf("hcloud:index/sshKey:SshKey", "publicKey"),
      };
    case "azure": {
      const os = secretValue(vm.osProfile) as {
        customData: unknown;
        linuxConfiguration: { ssh: { publicKeys: { keyData: string }[] } };
      };
      return {
        userData: Buffer.from(String(secretValue(os.customData)), "base64").toString("utf8"),
        loginPublicKey: os.linuxConfiguration.ssh.publicKeys[0]?.keyData ?? "",
      };
    }
  }
}

async function main(): Promise<void> {
  const requests = JSON.parse(readFileSync(0, "utf8")) as RenderRequest[];
  const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
  const certificate = makeCertificate("mock", "DNS:localhost,IP:127.0.0.1");
  const stepStdout: Record<string, string> = {
    wait: "os: debian 12\ndaemon-json-base64: \n",
    configure: "engine-version: 27.5.1\n",
  };
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, inputs });
        const state: Record<string, unknown> = { ...inputs };
        switch (args.type) {
          case "tls:index/privateKey:PrivateKey": {
            const pair = sshKeyPair(inputs);
            state.privateKeyOpenssh = pair.privateKey;
            state.publicKeyOpenssh = pair.publicKey;
            state.privateKeyPem = pair.privateKey;
            break;
          }
          case "tls:index/selfSignedCert:SelfSignedCert":
          case "tls:index/locallySignedCert:LocallySignedCert":
            state.certPem = certificate;
            break;
          case "tls:index/certRequest:CertRequest":
            state.certRequestPem = "CSR";
            break;
          case "command:remote:Command":
            state.stdout = stepStdout[args.name.split("-").pop() ?? ""] ?? "";
            state.stderr = "";
            break;
          default:
            Object.assign(state, cloudState(args.type, args.name, state));
        }
        const id = cloudId(args.type, args.name);
        return { id, state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const inputs = args.inputs as Record<string, unknown>;
        return cloudCall(args.token, inputs) ?? inputs;
      },
    },
    "project",
    "stack",
    false,
  );
  // The components (and the cloud SDKs) are loaded in the child only, after the mocks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerHost } = require("../../../components") as typeof components;
  const rendered: RenderedMachine[] = [];
  for (const request of requests) {
    const source = CLOUD_SOURCES.find((s) => s.source === request.source);
    if (source === undefined) throw new Error(`unknown cloud source ${request.source}`);
    const host = new DockerHost(request.name, {
      [source.source]:
        request.userPart !== undefined ? { [source.userDataInput]: request.userPart } : {},
      allowedCidrs: ["198.51.100.0/24"],
    });
    await new Promise((resolve) => host.dockerHost.apply(resolve));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    const mine = registered.filter((r) => r.name.startsWith(`${request.name}-`));
    const vm = mine.find((r) => r.type === source.vmType);
    if (vm === undefined) throw new Error(`${request.name}: no ${source.vmType} was registered`);
    const wait = mine.find((r) => r.type === "command:remote:Command" && r.name.endsWith("-wait"));
    if (wait === undefined) throw new Error(`${request.name}: no wait step was registered`);
    const raw = wait.inputs.connection as Record<string, unknown>;
    const connection = ("value" in raw ? raw.value : raw) as Record<string, string>;
    rendered.push({
      name: request.name,
      source: source.source,
      ...vmInputs(source.source, vm.inputs, mine),
      user: String(connection.user),
      privateKey: String(connection.privateKey),
      hostKey: String(connection.hostKey),
    });
  }
  process.stdout.write(JSON.stringify(rendered));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
