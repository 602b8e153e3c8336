import * as pulumi from "@pulumi/pulumi";
import * as fc from "fast-check";
import * as assert from "node:assert/strict";
import { PowerState } from "../../components";
import { InputError } from "../../components/inputs";
import { checkSpot } from "../../components/machines/aws/inputs";
import { powerControlOf, SOURCE_NAMES } from "../../components/machines/registry";
import { checkPower, checkPowerControl, isHeld } from "../../components/power";

/** The InputError `run` throws (it must throw one). */
function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected an InputError");
}

// The `power` input's pure checks: what is accepted, and the exact words of every refusal.
describe("power (pure checks)", () => {
  it("defaults to Running and accepts exactly the two states", () => {
    assert.equal(checkPower(undefined), PowerState.Running);
    // Other languages may send null for an absent input.
    assert.equal(checkPower(null), PowerState.Running);
    assert.equal(checkPower("Running"), PowerState.Running);
    assert.equal(checkPower("Stopped"), PowerState.Stopped);
    assert.deepEqual(Object.values(PowerState), ["Running", "Stopped"]);
  });

  it("rejects any other value, naming the input and the allowed values", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant({})), (value) => {
        fc.pre(value !== "Running" && value !== "Stopped");
        const e = inputError(() => checkPower(value));
        assert.equal(e.propertyPath, "power");
        assert.equal(
          e.reason,
          `power must be one of Running, Stopped, got ${JSON.stringify(value)}`,
        );
      }),
    );
    // Case matters: the values are the enum's, as every SDK spells them.
    assert.match(inputError(() => checkPower("stopped")).reason, /got "stopped"$/);
  });

  it("rejects an Output: which resources exist depends on it", () => {
    const e = inputError(() => checkPower(pulumi.output("Stopped")));
    assert.equal(e.propertyPath, "power");
    assert.match(e.reason, /^power must be known when the program runs/);
  });

  it("Running is accepted with every source; Stopped only where the source's power is declarative", () => {
    for (const source of SOURCE_NAMES) {
      const control = powerControlOf(source);
      checkPowerControl(source, PowerState.Running, control);
      if (control.declarative) {
        checkPowerControl(source, PowerState.Stopped, control);
        continue;
      }
      const e = inputError(() => {
        checkPowerControl(source, PowerState.Stopped, control);
      });
      assert.equal(e.propertyPath, "power");
      assert.equal(
        e.reason,
        `power Stopped is not available with the ${source} machine source: ${control.why}. Instead, ${control.alternative}`,
      );
    }
  });

  it("the sources whose provider holds a power state are aws and gcp", () => {
    assert.deepEqual(
      SOURCE_NAMES.filter((s) => powerControlOf(s).declarative),
      ["aws", "gcp"],
    );
  });

  it("holds the steps exactly while Stopped", () => {
    assert.equal(isHeld(PowerState.Stopped), true);
    assert.equal(isHeld(PowerState.Running), false);
  });

  it("refuses a Spot instance with Stopped (EC2 cannot stop a one-time Spot instance), nothing else", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(PowerState.Running, PowerState.Stopped),
        (spot, power) => {
          if (spot && power === PowerState.Stopped) {
            const e = inputError(() => {
              checkSpot("aws.spot", spot, power);
            });
            assert.equal(e.propertyPath, "aws.spot");
            assert.match(e.reason, /^aws.spot cannot be combined with power Stopped: /);
          } else {
            checkSpot("aws.spot", spot, power);
          }
        },
      ),
    );
    assert.match(
      inputError(() => {
        checkSpot("aws.spot", "yes", PowerState.Running);
      }).reason,
      /aws.spot must be true or false/,
    );
  });
});
