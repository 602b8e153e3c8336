import * as pulumi from "@pulumi/pulumi";

/** An input that was rejected. The message names the input and says what is allowed. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** True when `value` (deeply) holds no Output or Promise, so it can be checked right now. */
export function isKnownNow(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    return false;
  }
  if (Array.isArray(value)) {
    return value.every(isKnownNow);
  }
  if (value !== null && typeof value === "object") {
    return Object.values(value).every(isKnownNow);
  }
  return true;
}

/** Checks an input value and returns it (or a stand-in that is checked when it resolves). */
export type Checker = <T>(value: T, check: (resolved: unknown) => void) => T;

/**
 * Makes a Checker whose errors start with `prefix`. A value known now is checked at once, so a bad input throws
 * before any resource is registered; an Output is checked when it resolves, with the same message, and the
 * returned stand-in makes every resource that consumes it wait for (and fail with) the check.
 */
export function checker(prefix: string): Checker {
  const run = (check: (resolved: unknown) => void, resolved: unknown) => {
    try {
      check(resolved);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`${prefix}${e.message}`);
      throw e;
    }
  };
  return <T>(value: T, check: (resolved: unknown) => void): T => {
    if (isKnownNow(value)) {
      run(check, value);
      return value;
    }
    return pulumi.output(value).apply((resolved) => {
      run(check, resolved);
      return resolved;
    }) as T;
  };
}
