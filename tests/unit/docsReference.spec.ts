import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { generateReference, REFERENCE } from "../../scripts/gen-reference";

/**
 * docs/reference.md is generated from the components' schema (scripts/gen-reference.ts). A new or changed input,
 * output or description changes the schema; this test then fails until `npm run docs` regenerates the file.
 */
describe("docs/reference.md (generated from the component schema)", function () {
  // Reading the schema from the components' source runs the TypeScript analyzer: seconds, not milliseconds.
  this.timeout(120000);

  it("is what `npm run docs` generates from the current code", async () => {
    assert.ok(existsSync(REFERENCE), "docs/reference.md is missing: run npm run docs");
    const expected = await generateReference();
    assert.equal(
      readFileSync(REFERENCE, "utf8"),
      expected,
      "docs/reference.md is stale: run npm run docs and commit the result",
    );
  });
});
