import * as pulumi from "@pulumi/pulumi";

/** The time bounds of DockerHost's remote steps, in seconds (`timeouts`, with the defaults filled in). */
export interface StepTimeouts {
  wait: number;
  install: number;
  configure: number;
}

/** The defaults of `timeouts`, in seconds. */
export const DEFAULT_TIMEOUTS: StepTimeouts = { wait: 900, install: 1800, configure: 600 };

/** The steps `timeouts` bounds, and the range each bound may take (seconds). */
export const TIMEOUT_STEPS = ["wait", "install", "configure"] as const;
export const MIN_TIMEOUT = 30;
export const MAX_TIMEOUT = 86_400;

/** The bound of every DockerSwarm step (seconds): its waits (node Ready, Raft, drain) are a few minutes at most. */
export const SWARM_STEP_TIMEOUT = 600;

/** Seconds between the TERM that ends a step at its bound and the KILL that follows (bound.sh: `--kill-after`). */
export const KILL_GRACE_SECONDS = 60;

/** Seconds Pulumi allows for dialling on top of a step's bound: the plugin's customTimeouts stop only the dialling. */
const DIAL_ALLOWANCE_SECONDS = 600;

/**
 * Pulumi's customTimeouts for a step bounded to `seconds` on the host. The plugin applies them to the dialling
 * alone (a running script is never interrupted from here), so they cover the dialling plus the whole bound and
 * its grace: Pulumi never gives up on a step the host still bounds.
 */
export function commandTimeouts(seconds: number): pulumi.CustomTimeouts {
  const total = `${String(seconds + KILL_GRACE_SECONDS + DIAL_ALLOWANCE_SECONDS)}s`;
  return { create: total, update: total, delete: total };
}
