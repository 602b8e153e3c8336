import * as pulumi from "@pulumi/pulumi";
import { PowerState } from "./args";
import { checkEnum } from "./checks";
import { InputError, isKnownNow } from "./inputs";
import { PowerControl } from "./machines/source";

// DockerHost's `power` input: its checks (pure), and what a stopped machine means for the remote steps and the
// certificate. Which sources can stop their machine is theirs to say (MachineSource.power); nothing here names one.

/**
 * `power`: a PowerState known when the program runs (it decides which resources exist: the start check, the
 * steps held while stopped). Returns the state, `Running` when absent.
 */
export function checkPower(value: unknown): PowerState {
  if (value === undefined || value === null) return PowerState.Running;
  if (!isKnownNow(value)) {
    throw new InputError(
      "power",
      `power must be known when the program runs (it decides which resources exist), got an Output: pass ${Object.values(PowerState).join(" or ")}, e.g. from stack configuration`,
    );
  }
  checkEnum("power", value, PowerState);
  return value as PowerState;
}

/**
 * `power: Stopped` needs a source whose provider holds the machine's power state; for any other source the
 * message says which source, why it cannot, and what to do instead.
 */
export function checkPowerControl(source: string, power: PowerState, control: PowerControl): void {
  if (power !== PowerState.Stopped || control.declarative) return;
  throw new InputError(
    "power",
    `power Stopped is not available with the ${source} machine source: ${control.why}. Instead, ${control.alternative}`,
  );
}

/**
 * The inputs of a remote step (command.remote.Command) that DockerHost sets. While the machine is stopped they
 * are held (ignoreChanges): a changed configuration is not lost, it stays a pending difference that the next
 * `pulumi up` with `Running` applies, instead of a step failing to dial a machine that is off.
 */
export const HELD_STEP_INPUTS = [
  "connection",
  "create",
  "stdin",
  "delete",
  "addPreviousOutputInEnv",
] as const;

/**
 * The server certificate request's names, held while the machine is stopped: a stopped machine may have no public
 * address (an ephemeral one is released), and a certificate reissued without it would only be reissued again at
 * the start. The names follow the address that the machine has once it runs again.
 */
export const HELD_SERVER_NAMES = ["ipAddresses", "dnsNames"] as const;

/** Whether the remote steps and the server certificate's names are held: the machine is stopped. */
export function isHeld(power: PowerState): boolean {
  return power === PowerState.Stopped;
}

/** A promise of the last engine step, resolved once DockerHost has built it (MachineContext.provisioned). */
export interface Provisioned {
  promise: Promise<pulumi.Resource[]>;
  resolve: (steps: pulumi.Resource[]) => void;
}

export function provisionedSignal(): Provisioned {
  let resolve: (steps: pulumi.Resource[]) => void = () => undefined;
  const promise = new Promise<pulumi.Resource[]>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
