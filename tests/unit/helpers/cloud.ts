import * as pulumi from "@pulumi/pulumi";
import * as assert from "node:assert/strict";
import { DockerHost, DockerHostArgs } from "../../../components";
import { installMocks, Registered, registeredUnder, settle, unwrapSecret, valueOf } from "./mocks";

// Helpers of the cloud machine tests: resource options as the monitor received them (the mocks' newResource does
// not see them), a deploy that returns one DockerHost's resources, and captured warnings.

/** The resource options the monitor received for one resource. */
export interface SeenOptions {
  urn: string;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
  replacementTrigger: unknown;
  dependencies: string[];
  /** Pulumi's customTimeouts (create, update, delete), "" where unset. */
  customTimeouts: [string, string, string];
}

/** Options by resource name (names are unique across the tests). */
export const seenOptions = new Map<string, SeenOptions>();

interface RegisterRequest {
  getName(): string;
  getType(): string;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
  getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
  getDependenciesList(): string[];
  getCustomtimeouts():
    { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
type Callback = (err: unknown, resp: { getUrn(): string } | undefined) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): void;
}

/** Installs the shared mocks and records every resource's options. */
export async function installCloudMocks(): Promise<void> {
  await installMocks();
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    original(req, (err, resp) => {
      if (resp !== undefined) {
        seenOptions.set(req.getName(), {
          urn: resp.getUrn(),
          ignoreChanges: req.getIgnorechangesList(),
          replaceOnChanges: req.getReplaceonchangesList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          replacementTrigger: req.getReplacementTrigger()?.toJavaScript(),
          dependencies: req.getDependenciesList(),
          customTimeouts: [
            req.getCustomtimeouts()?.getCreate() ?? "",
            req.getCustomtimeouts()?.getUpdate() ?? "",
            req.getCustomtimeouts()?.getDelete() ?? "",
          ],
        });
      }
      callback(err, resp);
    });
  };
}

/** One DockerHost deployed under mocks, with its resources. */
export interface Deployed {
  host: DockerHost;
  mine: Registered[];
  byName(suffix: string): Registered;
  ofType(type: string): Registered[];
  /** The options of `NAME-suffix`, or of the DockerHost itself for "". */
  options(suffix: string): SeenOptions;
  /** The wait step's SSH connection, unwrapped. */
  connection(): Record<string, unknown>;
}

export async function deploy(name: string, args: DockerHostArgs): Promise<Deployed> {
  const host = new DockerHost(name, args);
  await valueOf(host.dockerHost);
  await settle();
  const { mine, byName } = registeredUnder(name);
  return {
    host,
    mine,
    byName,
    ofType: (type) => mine.filter((r) => r.type === type),
    options: (suffix) => {
      const seen = seenOptions.get(suffix === "" ? name : `${name}-${suffix}`);
      assert.ok(seen, `options of ${name}-${suffix} were seen`);
      return seen;
    },
    connection: () => unwrapSecret(byName("wait").inputs.connection) as Record<string, unknown>,
  };
}

/** The type and name of every resource of a deployment, sorted: the reviewer's view of a preview. */
export function inventory(d: Deployed): string[] {
  return d.mine.map((r) => `${r.type} ${r.name}`).sort();
}

/** The resources every DockerHost has, whatever its machine (certificates and the three steps). */
export function coreInventory(name: string): string[] {
  return [
    `command:remote:Command ${name}-configure`,
    `command:remote:Command ${name}-install`,
    `command:remote:Command ${name}-wait`,
    `docker-host:index:DockerHost ${name}`,
    `tls:index/certRequest:CertRequest ${name}-client-csr`,
    `tls:index/certRequest:CertRequest ${name}-server-csr`,
    `tls:index/locallySignedCert:LocallySignedCert ${name}-client-cert`,
    `tls:index/locallySignedCert:LocallySignedCert ${name}-server-cert`,
    `tls:index/privateKey:PrivateKey ${name}-ca-key`,
    `tls:index/privateKey:PrivateKey ${name}-client-key`,
    `tls:index/privateKey:PrivateKey ${name}-server-key`,
    `tls:index/privateKey:PrivateKey ${name}-ssh-host-key`,
    `tls:index/privateKey:PrivateKey ${name}-ssh-login-key`,
    `tls:index/selfSignedCert:SelfSignedCert ${name}-ca`,
  ];
}

/** Runs `fn` and returns what it (and the Outputs it awaited) logged as warnings. */
export async function capturingWarnings(fn: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...parts: unknown[]) => {
    warnings.push(parts.map(String).join(" "));
  };
  try {
    await fn();
    await settle();
  } finally {
    console.warn = original;
  }
  return warnings;
}

/** The error a deployment fails with when an input is only rejected once it resolves. */
export async function deploymentError(host: DockerHost): Promise<Error> {
  const outcome = (host.dockerHost as unknown as { promise(): Promise<string> }).promise();
  try {
    await outcome;
  } catch (e) {
    return e as Error;
  }
  assert.fail("the deployment succeeded");
}
