import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { components, referencePages, registryExamples, renderPage, REPO_ROOT, Schema, splitDefault } from "../../scripts/reference.mts";

const schema = JSON.parse(readFileSync(join(REPO_ROOT, "schema.json"), "utf8")) as Schema;

describe("argument reference (docs/reference)", () => {
    it("is what `npm run reference` generates from schema.json and the example programs", () => {
        for (const [relative, text] of Object.entries(referencePages())) {
            expect(readFileSync(join(REPO_ROOT, relative), "utf8"), relative).toBe(text);
        }
    });

    it("has a page per component, each listing every input path and every output", () => {
        expect(components(schema)).toEqual(["AuthorizerWithPolicyStore", "ServicePlatform", "ZeroTrustIdentity"]);
        for (const component of components(schema)) {
            const page = renderPage(component, schema);
            const resource = schema.resources[`rampart:index:${component}`];
            for (const input of Object.keys(resource.inputProperties)) expect(page).toContain(`| \`${input}\` |`);
            for (const output of Object.keys(resource.properties ?? {})) expect(page).toContain(`| \`${output}\` |`);
            for (const fence of ["```ts", "```python", "```go", "```yaml"]) expect(page).toContain(fence);
        }
    });

    it("flattens nested arguments into the paths rampart's errors use, with defaults per profile and Output support", () => {
        const page = renderPage("ServicePlatform", schema);
        const row = (path: string) => page.split("\n").find((line) => line.startsWith(`| \`${path}\` |`));
        expect(row("services[].memory")).toBeDefined();
        expect(row("database.backupRetentionDays")).toContain("| `1` for ephemeral, `14` for production |");
        expect(row("domain.hostedZoneId")).toMatch(/^\| `domain\.hostedZoneId` \| string \| yes \| yes \|/);
        expect(row("stage")).toMatch(/\| string \| yes \| plain value \|/);
        expect(row("compute")).toContain('`"fargate"` \\| `"appRunner"`');
        expect(page).toContain(`packages:\n  rampart: https://github.com/rampart-iac/pulumi-rampart@v${JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version}\n`);
        expect(page).not.toContain("path: ../../../..");
    });

    it("puts the same example into schema.json for the Registry and each SDK's docstrings", () => {
        for (const component of components(schema)) {
            const description = schema.resources[`rampart:index:${component}`].description!;
            expect(description).toContain(registryExamples(component));
            expect(description.match(/```(typescript|python|go|yaml)\n/g)).toEqual(["```typescript\n", "```python\n", "```go\n", "```yaml\n"]);
            expect(renderPage(component, schema)).not.toContain("{{% examples %}}");
        }
    });

    it("fails its drift check when the schema's text changes", () => {
        const changed = structuredClone(schema);
        changed.types["rampart:index:PlatformCache"].properties!.maxDataStorageGb.description = "Upper bound of stored data in GB. Default: `2`.";
        expect(renderPage("ServicePlatform", changed)).not.toBe(renderPage("ServicePlatform", schema));
        expect(renderPage("ServicePlatform", changed)).toContain("| `cache.maxDataStorageGb` | number | no | plain value | `2` |");
    });
});

describe("splitDefault", () => {
    it("takes the Default sentence out of a description, keeping periods inside code", () => {
        expect(splitDefault("Private IPv4 block.\nDefault: `10.0.0.0/16`.")).toEqual({ text: "Private IPv4 block.", default: "`10.0.0.0/16`" });
        expect(splitDefault("Days of backups. Default: `1` for ephemeral, `14` for production. Changed in place.")).toEqual({
            text: "Days of backups. Changed in place.",
            default: "`1` for ephemeral, `14` for production",
        });
        expect(splitDefault("Version. Default: `\"17.6\"`. Minor.")).toEqual({ text: "Version. Minor.", default: '`"17.6"`' });
        expect(splitDefault("No default here.")).toEqual({ text: "No default here." });
    });
});
