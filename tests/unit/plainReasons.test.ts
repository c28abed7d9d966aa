import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { namedPlainReason, plainReason, PLAIN_REASON_MARKER } from "../../provider/src/host/plainReasons";
import type { PackageSchema, SchemaProperty } from "../../provider/src/host/typeCheck";

const schema = JSON.parse(readFileSync(join(__dirname, "../../schema.json"), "utf8")) as PackageSchema & {
    resources: Record<string, { inputProperties: Record<string, SchemaProperty> }>;
};

/** Every plain argument of a component, by its reference path (`services[].cpu`). */
function plainArguments(token: string): { path: string; property: SchemaProperty }[] {
    const out: { path: string; property: SchemaProperty }[] = [];
    const walk = (properties: Record<string, SchemaProperty>, prefix: string, seen: Set<string>) => {
        for (const [name, property] of Object.entries(properties)) {
            const path = `${prefix}${name}`;
            if (property.plain) out.push({ path, property });
            const ref = property.$ref ?? property.items?.$ref;
            const type = ref ? schema.types?.[ref.replace("#/types/", "")] : undefined;
            if (type?.properties && !seen.has(ref!)) walk(type.properties, `${path}${property.type === "array" ? "[]" : ""}.`, new Set([...seen, ref!]));
        }
    };
    walk(schema.resources[token].inputProperties, "", new Set());
    return out;
}

const tokens = Object.keys(schema.resources);

describe("why an argument is plain (issue 16 item 2)", () => {
    it.each(tokens)("%s: every plain argument has a reason, and every plain string or list of strings a named one", (token) => {
        const unnamed: string[] = [];
        for (const { path, property } of plainArguments(token)) {
            expect(plainReason(schema, token, path, property), path).toMatch(/^\S.{20,}[^.]$/);
            const scalarText = property.type === "string" || (property.type === "array" && property.items?.type === "string");
            if (scalarText && !property.$ref && namedPlainReason(token, path, property) === undefined) unnamed.push(path);
        }
        expect(unnamed, "plain text arguments without a reason of their own: add one to provider/src/host/plainReasons.ts or the docstring").toEqual([]);
    });

    it("a docstring's own reason wins over the table", () => {
        const property: SchemaProperty = { type: "string", plain: true, description: `The zone. ${PLAIN_REASON_MARKER}it picks the Region's endpoints. Default: none.` };
        expect(plainReason(schema, "rampart:index:ServicePlatform", "stage", property)).toBe("it picks the Region's endpoints");
    });

    it("list indexes and map keys do not change the reason", () => {
        const property: SchemaProperty = { type: "array", plain: true, items: { type: "string" } };
        expect(plainReason(schema, "rampart:index:ServicePlatform", "services[3].pathPatterns", property)).toBe(
            plainReason(schema, "rampart:index:ServicePlatform", "services[].pathPatterns", property),
        );
        expect(namedPlainReason("rampart:index:ZeroTrustIdentity", "githubOidc.roles[0].branches", property)).toContain("trust-policy");
        expect(namedPlainReason("rampart:index:ServicePlatform", "githubOidc.roles[0].branches", property), "the rule is ZeroTrustIdentity's").toBeUndefined();
    });
});
