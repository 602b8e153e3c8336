import * as assert from "node:assert/strict";
import { CLOUD_SOURCE_NAMES } from "../../components/machines/registry";
import { CLOUD_SOURCES as SEEDED } from "../e2e/helpers/cloudUserData";

describe("the cloud-init end-to-end suite covers every cloud source", () => {
  it("has a seeded-sandbox row for each cloud machine source", () => {
    assert.deepEqual(
      SEEDED.map((s) => s.source).sort(),
      [...CLOUD_SOURCE_NAMES].sort(),
      "a cloud source without its row in tests/e2e/helpers/cloudUserData.ts (CLOUD_SOURCES and vmInputs): its user data is not proven on cloud-init",
    );
  });
});
