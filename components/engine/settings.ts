import * as pulumi from "@pulumi/pulumi";
import { EngineInstallMethod } from "../args";
import { StepTimeouts } from "../remote/timeouts";
import { DaemonSettings } from "./daemonJson";

/**
 * The engine settings a DockerHost's inputs resolve to (checked already): what resolve.ts produces and the engine
 * steps (steps.ts) consume, in a module of its own so that neither depends on the other.
 */
export interface EngineSettings {
  installMethod: EngineInstallMethod;
  installScriptUrl: pulumi.Input<string>;
  /** The pinned version, or "" for none. */
  version: pulumi.Input<string>;
  port: pulumi.Input<number>;
  daemon: pulumi.Input<Omit<DaemonSettings, "adopted" | "tcpListener">>;
  env: pulumi.Input<Record<string, string>>;
  /** The steps' time bounds on the machine, in seconds. */
  timeouts: StepTimeouts;
}
