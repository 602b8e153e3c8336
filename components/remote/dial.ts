/**
 * How the command plugin retries a failed SSH dial: it cannot tell a refused connection, a handshake that fails
 * and a host key that does not match the pin apart, and retries them all with the Pulumi SDK's back-off
 * (go/common/util/retry.Until: 100 ms, growing 1.5x per attempt, capped at 5 s). After `dialErrorLimit` retries it
 * fails with "after N failed attempts: <the last error>", e.g. "ssh: handshake failed: ssh: host key mismatch";
 * with -1 it dials until the step's timeout and then says only "context deadline exceeded".
 */
const FIRST_DELAY = 0.1;
const BACKOFF = 1.5;
const MAX_DELAY = 5;

/** The seconds the plugin waits between the dials of a step with `dialErrorLimit` = limit (limit + 1 dials). */
export function dialBackoffSeconds(limit: number): number {
  let total = 0;
  let delay = FIRST_DELAY;
  for (let i = 0; i < limit; i++) {
    total += Math.min(delay, MAX_DELAY);
    delay *= BACKOFF;
  }
  return total;
}

/**
 * The wait step's dial limit, for every machine source: about two minutes of dialling when each dial fails at
 * once (a refused connection, a host key mismatch). Long enough for an sshd that comes up a minute late or a
 * booting VM (a dial that times out takes `perDialTimeout`, 15 s, so a VM without network yet is dialled far
 * longer); short enough that a wrong pinned host key fails within three minutes, with the plugin's own "host key
 * mismatch" rather than a bare timeout.
 */
export const WAIT_DIAL_ATTEMPTS = 32;

/** The dial limit of every later step: the machine answered the wait step already. */
export const STEP_DIAL_ATTEMPTS = 10;

/** Seconds a single dial may take to connect (TCP only; the plugin does not bound the SSH handshake). */
export const PER_DIAL_TIMEOUT = 15;
