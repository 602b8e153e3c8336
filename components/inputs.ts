import * as pulumi from "@pulumi/pulumi";

/**
 * An input that was rejected: Pulumi's InputPropertyError, so that the engine shows which property is wrong in
 * every language (`propertyPath`, e.g. `existing.user` or `managers[1].sshPort`). The message (`reason`) names the
 * input and says what is allowed; it never shows the value of an input that may be secret.
 */
export class InputError extends pulumi.InputPropertyError {
  constructor(propertyPath: string, reason: string) {
    super({ propertyPath, reason });
    this.name = "InputError";
  }
}

/**
 * A rejected input whose value is a secret (a private key). Not an InputPropertyError: the engine prints the value
 * of the property such an error names, and a key passed as plain text would then appear in the output.
 */
export class SecretInputError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "SecretInputError";
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

/** The same rejection, its message prefixed (which component, which resource). */
export function withPrefix(prefix: string, error: unknown): unknown {
  if (error instanceof InputError)
    return new InputError(error.propertyPath, `${prefix}${error.reason}`);
  if (error instanceof SecretInputError) return new SecretInputError(`${prefix}${error.message}`);
  return error;
}

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
      throw withPrefix(prefix, e);
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
