import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RampartProvider } from "../../provider/src/host/provider";
import * as entryPoint from "../../provider/src/index";
import { ResourceRecorder, resolve } from "../utils/harness";

const schemaText = readFileSync(join(__dirname, "../../schema.json"), "utf8");

describe("RampartProvider (the plugin host)", () => {
    it("serves the committed schema and its version without loading the components", async () => {
        let loads = 0;
        const provider = new RampartProvider(schemaText, () => {
            loads++;
            return entryPoint as Record<string, unknown>;
        });
        expect(await provider.getSchema()).toBe(schemaText);
        expect(provider.version).toBe(JSON.parse(schemaText).version);
        expect(loads).toBe(0);
    });

    it("constructs a component through the entry point and returns the schema's outputs", async () => {
        const recorder = await ResourceRecorder.start();
        let loads = 0;
        const provider = new RampartProvider(schemaText, () => {
            loads++;
            return entryPoint as Record<string, unknown>;
        });
        const result = await provider.construct("id", "rampart:index:ZeroTrustIdentity", { stage: "dev", trustDomain: "example.org" }, {});
        await provider.construct("id2", "rampart:index:ZeroTrustIdentity", { stage: "dev" }, {});
        await recorder.settle();
        expect(loads).toBe(1);
        const outputs = Object.keys(JSON.parse(schemaText).resources["rampart:index:ZeroTrustIdentity"].properties);
        expect(Object.keys(result.state).sort()).toEqual(outputs.sort());
        expect(await resolve(result.state.trustDomain as pulumi.Output<string>)).toBe("example.org");
        expect(await resolve(result.urn)).toBe(recorder.one("rampart:index:ZeroTrustIdentity", "id").urn);
    });

    it("names the components it has when asked for an unknown type", async () => {
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        await expect(provider.construct("x", "rampart:index:Nope", {}, {})).rejects.toThrow(
            'rampart has no component "rampart:index:Nope"; it has rampart:index:AuthorizerWithPolicyStore, rampart:index:ServicePlatform, rampart:index:ZeroTrustIdentity',
        );
    });

    it("reports a schema that lists a component the entry point does not export", async () => {
        const provider = new RampartProvider(schemaText, () => ({ ServicePlatform: entryPoint.ServicePlatform }));
        await expect(provider.construct("x", "rampart:index:ZeroTrustIdentity", { stage: "dev" }, {})).rejects.toThrow(/exports no component class named ZeroTrustIdentity/);
    });

    it("passes validation errors through with every problem", async () => {
        await ResourceRecorder.start();
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        const error = await provider.construct("bad", "rampart:index:ServicePlatform", { stage: "Bad", services: [] }, {}).catch((e) => e);
        expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
        expect(error.errors.map((e: any) => e.propertyPath)).toEqual(["stage", "services"]);
    });
});
