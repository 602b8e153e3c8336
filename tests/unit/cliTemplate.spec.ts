import * as assert from "node:assert/strict";
import { goDuration } from "../../cli/lsQuery";
import { executeTemplate, goJson, goPrint, parseTemplate, TemplateError } from "../../cli/template";

// The slice of Go's text/template that docker-machine's --format took, printing as Go prints.

const run = (source: string, data: unknown) => executeTemplate(parseTemplate(source), data);

describe("docker-host --format templates (Go's text/template, the part docker-machine used)", () => {
  it("fields, nested keys, {{.}}, text around them, and <no value> for a missing key", () => {
    const data = { Name: "web", outputs: { address: "10.0.0.1", port: 22 } };
    assert.equal(
      run("{{.Name}} {{ .outputs.address }}:{{.outputs.port}}", data),
      "web 10.0.0.1:22",
    );
    assert.equal(run("{{.outputs.nope}}|{{.Name.x}}", data), "<no value>|<no value>");
    assert.equal(run("{{.}}", { b: [1, "x"], a: null, c: true }), "map[a:<nil> b:[1 x] c:true]");
    assert.equal(run("no action", data), "no action");
  });

  it("json and prettyjson: Go's encoding (sorted keys, HTML characters escaped, 4-space indent)", () => {
    const data = { v: { b: "<&>", a: [1] } };
    assert.equal(run("{{json .v}}", data), '{"a":[1],"b":"\\u003c\\u0026\\u003e"}');
    assert.equal(run("{{prettyjson .v.a}}", data), "[\n    1\n]");
    assert.equal(goJson(undefined), "null");
  });

  it("trims white space around {{- and -}}", () => {
    assert.equal(run("a  {{- .x -}}  b", { x: 1 }), "a1b");
  });

  it("refuses what it does not implement, and an unclosed action", () => {
    for (const source of [
      "{{if .x}}y{{end}}",
      "{{.x | printf}}",
      "{{len .x}}",
      "{{json .a .b}}",
      "{{x}}",
    ])
      assert.throws(() => parseTemplate(source), TemplateError, source);
    assert.throws(() => parseTemplate("{{.x"), { message: "template: unclosed action" });
  });

  it("prints values as Go's fmt does", () => {
    assert.equal(goPrint("s"), "s");
    assert.equal(goPrint(1.5), "1.5");
    assert.equal(goPrint(false), "false");
    assert.equal(goPrint(null), "<nil>");
    assert.equal(goPrint({ z: { y: 1 } }), "map[z:map[y:1]]");
  });

  it("durations as docker-machine's ResponseTime printed them", () => {
    assert.deepEqual([0, 12, 999, 1000, 1203, 1500, 61_000, 125_250].map(goDuration), [
      "0s",
      "12ms",
      "999ms",
      "1s",
      "1.203s",
      "1.5s",
      "1m1s",
      "2m5.25s",
    ]);
  });
});
