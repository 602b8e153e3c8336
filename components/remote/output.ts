/**
 * What a remote step prints on stdout for the program to read. Two forms, anything else (log lines) is ignored:
 *
 *     key: value                  one short value on one line
 *     begin key                   a long value (base64 of a file), in lines of at most 76 characters
 *     ...
 *     end key
 *
 * Long values are wrapped because the command plugin reads each output line with a 64 KiB limit: one longer line
 * stops its reader, and the step hangs instead of finishing. The shell side is `emit_block` (step.sh).
 */
export type StepOutput = Record<string, string>;

const KEY = "[a-z][a-z0-9-]*";
const VALUE_LINE = new RegExp(`^(${KEY}):(?: (.*))?$`);
const BEGIN = new RegExp(`^begin (${KEY})$`);

/**
 * The values a step printed, by key; a block's value is its lines joined by "\n". When a key appears twice, the
 * last one counts. A block without its `end` line means the output was cut short: that throws, because a value
 * silently missing (an adopted daemon.json) would be read as "none". No output at all (undefined: a step under
 * unit-test mocks that echo inputs as state) holds no values.
 */
export function parseStepOutput(stdout: string | undefined): StepOutput {
  const values: StepOutput = {};
  const lines = (stdout ?? "").split("\n").map((l) => l.replace(/\r$/, ""));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? "";
    const begin = BEGIN.exec(line);
    if (begin?.[1] !== undefined) {
      const key = begin[1];
      const end = lines.findIndex((l, j) => j > i && l.trim() === `end ${key}`);
      if (end < 0) {
        throw new Error(`the step's output was cut short: no "end ${key}" after "begin ${key}"`);
      }
      values[key] = lines
        .slice(i + 1, end)
        .map((l) => l.trim())
        .join("\n");
      i = end;
      continue;
    }
    const value = VALUE_LINE.exec(line);
    if (value?.[1] !== undefined) values[value[1]] = (value[2] ?? "").trim();
  }
  return values;
}

/** The value a step printed for `key`, or "" when it printed none (see parseStepOutput). */
export function stepValue(stdout: string | undefined, key: string): string {
  return parseStepOutput(stdout)[key] ?? "";
}
