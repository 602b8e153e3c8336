import { stepScripts } from "../remote/step";
import { REMOTE_PATHS } from "./paths";

/** The steps DockerHost runs on a machine, each a shell script in this folder. */
export enum Step {
  Wait = "wait",
  Install = "install",
  Configure = "configure",
  Cleanup = "cleanup",
  /** The start check: SSH, then the mutual-TLS answer, after the machine was started again (`power`). */
  Start = "start",
}

// Every step is given the remote paths after its own parameters; its time bound (DH_TIMEOUT) is among its own,
// since it differs per step.
// The mutual-TLS check (tls.sh) is shared by the two steps that end with it, and only by them.
const STEPS = stepScripts<Step>(
  "docker-host",
  __dirname,
  (params) => ({ ...params, ...REMOTE_PATHS }),
  { [Step.Configure]: ["tls"], [Step.Start]: ["tls"] },
);

/** The body a DockerHost step runs: the shared helpers, then the step's own script. */
export const stepScript = STEPS.script;

/** A DockerHost step, its script on stdin (see renderRemoteStep in components/remote/step.ts). */
export const renderStep = STEPS.render;

/** The command text of a DockerHost step with its script inline (see renderShellCommand): the delete command. */
export const renderStepCommand = STEPS.command;
