import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RampartProvider } from "../../provider/src/host/provider";
import { ComponentValidationError } from "../../provider/src/shared/validation";
import { forTheEngine, nodeVersionProblem } from "../../provider/src/host/provider";
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
        expect(error.message).toMatch(/^ServicePlatform "bad" has 2 invalid arguments:\n  ServicePlatform "bad": stage: got "Bad"; .*\n  ServicePlatform "bad": services: /);
        // The message lists every problem; property errors as well would make the engine print each twice.
        expect(error.errors).toEqual([]);
    });

    it("type-checks arguments from other languages against the schema before the component runs, all problems in one error", async () => {
        const recorder = await ResourceRecorder.start();
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        // What a Python program sends for public="false", cpu="512", memroy=2048 and a service without a name.
        const inputs = { stage: "dev", services: [{ name: "api", public: "false", cpu: "512", memroy: 2048 }, { port: 8080 }] };
        const error = await provider.construct("skreg", "rampart:index:ServicePlatform", inputs, {}).catch((e) => e);
        await recorder.settle();
        expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
        expect(error.message).toBe(
            [
                'ServicePlatform "skreg" has 4 invalid arguments:',
                '  ServicePlatform "skreg": services[0].public: got "false" (a string); expected a boolean (write false, not "false")',
                '  ServicePlatform "skreg": services[0].cpu: got "512" (a string); expected a number (write 512, not "512")',
                '  ServicePlatform "skreg": services[0].memroy: got 2048 (a number); PlatformService has no argument "memroy"; did you mean "memory"?',
                '  ServicePlatform "skreg": services[1].name: nothing was given; expected a string; it is required',
            ].join("\n"),
        );
        expect(error.errors).toEqual([]);
        expect(recorder.types(), "nothing is created").toEqual([]);
    });

    it("reports the component's own problems with the arguments the type check let through, in the same error", async () => {
        const recorder = await ResourceRecorder.start();
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        // Three mistakes in one Python program: a quoted number, a bad stage, and a size Fargate does not have.
        const inputs = { stage: "Dev", services: [{ name: "api", cpu: "512" }, { name: "worker", cpu: 256, memory: 4096 }] };
        const error = await provider.construct("shop", "rampart:index:ServicePlatform", inputs, {}).catch((e) => e);
        await recorder.settle();
        const lines: string[] = error.message.split("\n");
        expect(lines[0]).toBe('ServicePlatform "shop" has 3 invalid arguments:');
        expect(lines[1]).toBe('  ServicePlatform "shop": services[0].cpu: got "512" (a string); expected a number (write 512, not "512")');
        expect(lines.slice(2).map((l) => l.split(":")[1].trim()).sort()).toEqual(["services[1].memory", "stage"]);
        expect(error.message, "the refused cpu is not reported again by the component").not.toMatch(/services\[0\]\.(cpu|memory): got 512/);
        expect(recorder.types(), "nothing is created").toEqual([]);
    });

    it("checks the values inside Outputs, hides secrets, and skips values known only at deployment", async () => {
        const recorder = await ResourceRecorder.start();
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        const unknown = new (pulumi.Output as any)(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set()));
        const secretNumber = pulumi.secret(1234567);
        const error = await provider
            .construct("skreg", "rampart:index:ServicePlatform", { stage: pulumi.output("dev"), services: [{ name: "api", image: unknown, secrets: { KEY: secretNumber }, public: pulumi.output("yes") }] }, {})
            .catch((e) => e);
        expect(error.message.split("\n").slice(1)).toEqual([
            '  ServicePlatform "skreg": services[0].secrets.KEY: got a secret (a number); expected a string',
            '  ServicePlatform "skreg": services[0].public: got "yes" (a string); expected a boolean',
        ]);
        expect(error.message).not.toContain("1234567");
        // Unknown values pass the type check and the component is constructed.
        const ok = await provider.construct("sp", "rampart:index:ServicePlatform", { stage: "dev", services: [{ name: "api", image: unknown }], kmsKeyArn: unknown }, {});
        await recorder.settle();
        expect(await resolve(ok.urn)).toBe(recorder.one("rampart:index:ServicePlatform", "sp").urn);
    });

    it("gives the component the values of known Outputs in plain arguments (a stack reference, config), not the Outputs", async () => {
        const recorder = await ResourceRecorder.start();
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        // A value taken from another resource (as a stack reference's output is): the component still depends on it.
        const settings = new (class extends pulumi.CustomResource {})("test:index:Settings", "settings", {});
        const inputs = { stage: settings.id.apply(() => "pr-7"), network: pulumi.output({ cidrBlock: "10.42.0.0/16" }), services: [{ name: pulumi.output("api"), cpu: pulumi.output(512), memory: 1024 }] };
        const result = await provider.construct("sp", "rampart:index:ServicePlatform", inputs, {});
        await recorder.settle();
        expect(await resolve(result.urn)).toBe(recorder.one("rampart:index:ServicePlatform", "sp").urn);
        expect(recorder.one("rampart:index:ServicePlatform", "sp").options.dependencies).toContain(recorder.one("test:index:Settings").urn);
        expect(recorder.one("aws:ec2/vpc:Vpc").inputs.cidrBlock).toBe("10.42.0.0/16");
        const names = recorder.resources.map((r) => r.name);
        expect(names.filter((n) => n.includes("toString") || n.includes("Output")), "no resource named after an Output object").toEqual([]);
        expect(recorder.resources.filter((r) => r.type === "aws:ecr/repository:Repository").map((r) => r.inputs.name)).toEqual(["sp-pr-7-api"]);
        const task = recorder.one("aws:ecs/taskDefinition:TaskDefinition");
        expect([task.inputs.cpu, task.inputs.memory]).toEqual(["512", "1024"]);
    });

    it("refuses plain arguments known only at deployment, and secrets, saying why, in the one error", async () => {
        const recorder = await ResourceRecorder.start();
        const provider = new RampartProvider(schemaText, () => entryPoint as Record<string, unknown>);
        const unknown = new (pulumi.Output as any)(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set()));
        const inputs = { stage: unknown, services: [{ name: "api", cpu: unknown, image: unknown }], database: unknown, tags: { team: pulumi.secret("payments") } };
        const error = await provider.construct("sp", "rampart:index:ServicePlatform", inputs, {}).catch((e) => e);
        await recorder.settle();
        expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
        const lines: string[] = error.message.split("\n");
        expect(lines[0]).toBe('ServicePlatform "sp" has 4 invalid arguments:');
        const known = "got an Output whose value is known only at deployment; expected a value known when the program runs (written in the program, from config or a stack reference): ";
        expect(lines).toContain(`  ServicePlatform "sp": stage: ${known}it is part of the names of the resources rampart creates (their logical names in the state and their AWS names), which must be known to plan them`);
        expect(lines).toContain(`  ServicePlatform "sp": services[0].cpu: ${known}a size, count, port, duration or limit checked at preview against AWS's limits and the other arguments`);
        expect(lines).toContain(`  ServicePlatform "sp": database: ${known}whether it is given decides which resources rampart creates (its fields that take Outputs still do)`);
        expect(lines).toContain('  ServicePlatform "sp": tags.team: got a secret; expected a value that is not secret: this argument is kept in plain text in resource names, tags and the state');
        expect(error.message, "an image known only at deployment is fine: image takes an Output").not.toContain("services[0].image");
        expect(error.message).not.toContain("payments");
        expect(recorder.types(), "nothing is created").toEqual([]);
    });

    it("hands the engine a validation error's message only, and other errors unchanged", () => {
        const error = new ComponentValidationError("ServicePlatform", "x", [{ path: "stage", given: 'got "Bad"', allowed: "lowercase" }]);
        const converted = forTheEngine(error) as pulumi.InputPropertiesError;
        expect(pulumi.InputPropertiesError.isInstance(converted)).toBe(true);
        expect(converted.message).toBe('ServicePlatform "x" has an invalid argument:\n  ServicePlatform "x": stage: got "Bad"; lowercase');
        expect(converted.errors).toEqual([]);
        const other = new Error("boom");
        expect(forTheEngine(other)).toBe(other);
    });
});

describe("nodeVersionProblem (the plugin on an older Node.js)", () => {
    it("accepts Node.js 22 and newer", () => {
        expect(nodeVersionProblem("22.0.0", "/usr/bin/node")).toBeUndefined();
        expect(nodeVersionProblem("24.3.1", "/usr/bin/node")).toBeUndefined();
    });

    it("names the version and the node it found for anything older", () => {
        expect(nodeVersionProblem("20.20.2", "/usr/bin/node")).toBe(
            "Node.js 22 or newer is required where the rampart plugin runs; found v20.20.2 at /usr/bin/node (put Node.js 22+ first on PATH: https://nodejs.org)",
        );
        expect(nodeVersionProblem("21.7.3", "/opt/node")).toMatch(/^Node\.js 22 or newer is required .* found v21\.7\.3 at \/opt\/node/);
    });
});
