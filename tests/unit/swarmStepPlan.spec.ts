import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { SwarmRole } from "../../components/swarm/plan";
import { SwarmScript } from "../../components/swarm/scripts";
import { ParamSource, PlannedStep, planSwarmSteps } from "../../components/swarm/stepPlan";

type Host = { name: string; role: SwarmRole };
const manager = (name: string): Host => ({ name, role: "manager" });
const worker = (name: string): Host => ({ name, role: "worker" });

/** The steps a step follows: those it names in `after`, and those whose output it reads. */
function predecessors(step: PlannedStep): string[] {
  const reads = Object.values(step.params).flatMap((s) => ("step" in s ? [s.step] : []));
  return [...step.after, ...reads, ...(step.token !== undefined ? [step.token.from] : [])];
}

/** One line per step: where it runs, what it follows, how it joins. */
function outline(steps: PlannedStep[]): string[] {
  return steps.map((s) => {
    const joins =
      s.params.DH_FIRST !== undefined
        ? " initialises"
        : s.token !== undefined
          ? ` joins with the ${s.token.role} token of ${s.token.from}`
          : "";
    const fw = s.afterFirewall ? " +firewall" : "";
    return `${s.id} on ${s.runsOn} after [${s.after.join(" ")}]${fw}${joins}`;
  });
}

// The swarm's steps as data (components/swarm/stepPlan.ts), without Pulumi: what runs where, after what, with
// which parameters. steps.ts renders exactly this; swarm.spec.ts checks the rendered resources.
describe("swarm step plan (pure)", () => {
  it("plans a manager and a worker in full: scripts, hosts, order, parameters and their sources", () => {
    const steps = planSwarmSteps("p/s/sw", [manager("a"), worker("b")]);
    const base = (name: string, role: SwarmRole): Record<string, ParamSource> => ({
      DH_SWARM_KEY: { known: "p/s/sw" },
      DH_NODE_NAME: { known: name },
      DH_NODE_ADDRESS: { host: "address" },
      DH_ROLE: { known: role },
      DH_ADVERTISE: { host: "advertise" },
    });
    const identity = (name: string): Record<string, ParamSource> => ({
      DH_SWARM_KEY: { known: "p/s/sw" },
      DH_NODE_NAME: { known: name },
      DH_NODE_ADDRESS: { host: "address" },
    });
    const member = (name: string, role: SwarmRole): PlannedStep => ({
      id: `${name}-member`,
      kind: "member",
      host: name,
      runsOn: "a",
      after: [`${name}-join`],
      afterFirewall: false,
      create: SwarmScript.Member,
      delete: SwarmScript.Drain,
      params: {
        ...base(name, role),
        DH_NODE_ID: { step: `${name}-join`, key: "node-id" },
        DH_LABELS: { host: "labels" },
      },
      secretOutput: false,
    });
    assert.deepEqual(steps, [
      {
        id: "a-remove",
        kind: "remove",
        host: "a",
        runsOn: "a",
        after: [],
        afterFirewall: false,
        delete: SwarmScript.Remove,
        params: identity("a"),
        secretOutput: false,
      },
      {
        id: "a-join",
        kind: "join",
        host: "a",
        runsOn: "a",
        after: ["a-remove"],
        afterFirewall: true,
        create: SwarmScript.Join,
        delete: SwarmScript.Leave,
        params: { ...base("a", "manager"), DH_FIRST: { known: "1" } },
        secretOutput: true,
      },
      member("a", "manager"),
      {
        id: "b-remove",
        kind: "remove",
        host: "b",
        runsOn: "a",
        after: ["a-join"],
        afterFirewall: false,
        delete: SwarmScript.Remove,
        params: identity("b"),
        secretOutput: false,
      },
      {
        id: "b-join",
        kind: "join",
        host: "b",
        runsOn: "b",
        after: ["b-remove"],
        afterFirewall: true,
        create: SwarmScript.Join,
        delete: SwarmScript.Leave,
        params: {
          ...base("b", "worker"),
          DH_MANAGER_ADDR: { step: "a-join", key: "manager-address" },
          DH_CLUSTER_ID: { step: "a-join", key: "cluster-id" },
          DH_MANAGER_NODE_ID: { step: "a-join", key: "node-id" },
        },
        token: { role: "worker", from: "a-join" },
        secretOutput: true,
      },
      member("b", "worker"),
    ]);
  });

  it("joins managers one after the other; workers wait only for the first manager", () => {
    const steps = planSwarmSteps("k", [manager("a"), manager("c"), manager("d"), worker("b")]);
    assert.deepEqual(outline(steps), [
      "a-remove on a after []",
      "a-join on a after [a-remove] +firewall initialises",
      "a-member on a after [a-join]",
      "c-remove on a after [a-join]",
      "c-join on c after [c-remove a-join] +firewall joins with the manager token of a-join",
      "c-member on a after [c-join]",
      "d-remove on a after [a-join]",
      "d-join on d after [d-remove c-join] +firewall joins with the manager token of a-join",
      "d-member on a after [d-join]",
      "b-remove on a after [a-join]",
      "b-join on b after [b-remove] +firewall joins with the worker token of a-join",
      "b-member on a after [b-join]",
    ]);
  });

  it("holds for any hosts: three steps each, every step after steps planned before it, one initialiser (generative)", () => {
    const hosts = fc
      .tuple(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 1, max: 9 }),
      )
      .map(([names, managers]) =>
        names.map((name, i): Host => (i < managers ? manager(name) : worker(name))),
      );
    fc.assert(
      fc.property(hosts, (list) => {
        const steps = planSwarmSteps("k", list);
        const first = list[0]?.name ?? "";
        assert.deepEqual(
          steps.map((s) => s.id),
          list.flatMap((h) => [`${h.name}-remove`, `${h.name}-join`, `${h.name}-member`]),
        );
        steps.forEach((step, i) => {
          const earlier = steps.slice(0, i).map((s) => s.id);
          for (const id of predecessors(step))
            assert.ok(earlier.includes(id), `${step.id} after ${id}`);
          assert.equal(step.runsOn, step.kind === "join" ? step.host : first, step.id);
          // Tokens travel on stdin only, never as a parameter (the command text is not secret).
          for (const source of Object.values(step.params)) {
            assert.ok(!("step" in source) || !source.key.endsWith("-token"), step.id);
          }
        });
        const joins = steps.filter((s) => s.kind === "join");
        assert.deepEqual(
          joins.filter((s) => s.params.DH_FIRST !== undefined).map((s) => s.host),
          [first],
        );
        for (const join of joins.filter((s) => s.host !== first)) {
          const role = list.find((h) => h.name === join.host)?.role;
          assert.deepEqual(join.token, { role, from: `${first}-join` });
        }
        // Managers join in order, each after the one before; a worker's join follows no other join by name.
        const managers = list.filter((h) => h.role === "manager").map((h) => h.name);
        for (const join of joins) {
          const before = join.after.filter((id) => id.endsWith("-join"));
          const at = managers.indexOf(join.host);
          assert.deepEqual(before, at > 0 ? [`${managers[at - 1] ?? ""}-join`] : [], join.id);
        }
      }),
    );
  });
});
