import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { renderDropIn } from "../../components/engine/dropIn";
import { REMOTE_PATHS } from "../../components/engine/paths";
import { renderStep, renderStepCommand, Step } from "../../components/engine/scripts";

const ENGINE_DIR = path.join(__dirname, "..", "..", "components", "engine");

// The paths DockerHost works on are spelled once, in engine/paths.ts: the scripts get them as parameters.
describe("remote paths (one source: components/engine/paths.ts)", () => {
  it("are spelled in no step script", () => {
    const scripts = readdirSync(ENGINE_DIR).filter((f) => f.endsWith(".sh"));
    assert.ok(scripts.length >= 5);
    for (const file of scripts) {
      const text = readFileSync(path.join(ENGINE_DIR, file), "utf8");
      for (const [name, value] of Object.entries(REMOTE_PATHS)) {
        assert.ok(!text.includes(value), `${file} spells ${name} (${value})`);
        assert.ok(
          !text.includes(path.dirname(value) + "/"),
          `${file} spells the folder of ${name}`,
        );
      }
    }
  });

  it("are parameters of every step, create and delete alike, after the step's own", () => {
    const expected = Object.entries(REMOTE_PATHS)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n");
    for (const step of Object.values(Step)) {
      const create = renderStep(step, { DH_TIMEOUT: "60" }).command;
      assert.ok(create.includes(`DH_TIMEOUT=60\n${expected}\n`), `${step}: ${create}`);
      assert.ok(renderStepCommand(step, { DH_TIMEOUT: "60" }).includes(`\n${expected}\n`), step);
    }
  });

  it("name the file the drop-in refers to (daemon.json's TLS files: render.spec.ts)", () => {
    assert.match(renderDropIn({}), new RegExp(`in ${REMOTE_PATHS.DH_DAEMON_JSON_PATH}\\.`));
  });
});
