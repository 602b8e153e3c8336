import {
  checkBoolean,
  checkIntegerRange,
  checkPattern,
  checkStringMap,
  keysMatching,
} from "../checks";
import { Checker, SecretInputError } from "../inputs";
import { checkUserData } from "./cloudInit";

/**
 * The checks a source's inputs use, each bound to the source's name so that every path reads `SOURCE.FIELD`. Each
 * returns the value it checked (a stand-in checked on resolution when it is an Output): see `Checker`.
 */
export function sourceFields(source: string, check: Checker) {
  const path = (field: string) => `${source}.${field}`;
  return {
    /** A field checked by `rule`, which gets the field's path. */
    custom<T>(field: string, value: T, rule: (path: string, value: unknown) => void): T {
      return check(value, (v) => {
        rule(path(field), v);
      });
    },
    /** An optional string matching `re`; `what` says what is allowed. */
    pattern<T>(field: string, value: T, re: RegExp, what: string): T {
      return this.custom(field, value, (p, v) => {
        checkPattern(p, v, re, what);
      });
    },
    /** An optional boolean. */
    flag<T>(field: string, value: T): T {
      return this.custom(field, value, checkBoolean);
    },
    /** An optional whole number from `min` to `max`. */
    integer<T>(field: string, value: T, min: number, max: number): T {
      return this.custom(field, value, (p, v) => {
        checkIntegerRange(p, v, min, max);
      });
    },
    /** An optional map of tags: string values, keys matching `key` (`rule` says which). */
    tags<T>(field: string, value: T, key: RegExp, rule: string): T {
      return this.custom(field, value, (p, v) => {
        checkStringMap(p, v, keysMatching(key, rule));
      });
    },
    /**
     * The user's own cloud-init user data, merged with DockerHost's; `limit`, where the cloud caps it: at most
     * `bytes`, `why` saying where the cap comes from. User data may hold secrets: the errors never show it.
     */
    userData<T>(field: string, value: T, limit?: { bytes: number; why: string }): T {
      return this.custom(field, value, (p, v) => {
        checkUserData(p, v);
        const size = typeof v === "string" ? Buffer.byteLength(v, "utf8") : 0;
        if (limit !== undefined && size > limit.bytes) {
          throw new SecretInputError(
            `${p} must be at most ${String(limit.bytes / 1024)} KiB (${limit.why}), got ${String(size)} bytes`,
          );
        }
      });
    },
  };
}
