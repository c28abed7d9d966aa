import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { overlaps, pathSteps, withoutPaths } from "../../provider/src/host/argumentPaths";

describe("argument paths read back (host/argumentPaths)", () => {
    it("reads names, list indexes and quoted map keys", () => {
        expect(pathSteps("services[0].public")).toEqual(["services", 0, "public"]);
        expect(pathSteps('services[2].environment["MY-VAR"]')).toEqual(["services", 2, "environment", "MY-VAR"]);
        expect(pathSteps('tags["a \\"b\\""]')).toEqual(["tags", 'a "b"']);
        expect(pathSteps("stage")).toEqual(["stage"]);
    });

    it("leaves out the values at the paths, in a copy, keeping Outputs as they are", () => {
        const image = pulumi.output("nginx");
        const inputs = { stage: "Dev", services: [{ name: "api", cpu: "512", image }, { name: "worker", public: "no" }], tags: { "cost-centre": 7 } };
        const pruned = withoutPaths(inputs, ["services[0].cpu", "services[1].public", 'tags["cost-centre"]', "nothing.here[3]"]);
        expect(pruned).toEqual({ stage: "Dev", services: [{ name: "api", image }, { name: "worker" }], tags: {} });
        expect((pruned.services as { image: unknown }[])[0].image).toBe(image);
        expect(inputs.services[0].cpu, "the original is untouched").toBe("512");
        expect(withoutPaths({ services: [{ name: "a" }, null] }, ["services[1]"])).toEqual({ services: [{ name: "a" }, undefined] });
    });

    it("knows when one path is, or lies inside, another", () => {
        expect(overlaps("services[0]", "services[0].cpu")).toBe(true);
        expect(overlaps("services[0].cpu", "services[0]")).toBe(true);
        expect(overlaps("services[0].cpu", "services[0].cpu")).toBe(true);
        expect(overlaps("services[0].cpu", "services[0].memory")).toBe(false);
        expect(overlaps("services[1]", "services[10]")).toBe(false);
    });
});
