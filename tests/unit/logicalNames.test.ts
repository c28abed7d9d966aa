/**
 * The logical names docs/customising.md promises to keep stable (transforms match on them, and a rename would make
 * Pulumi replace the resource): every row of its tables is a child the component registers, under that name and type.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuthorizerWithPolicyStore, ServicePlatform, ZeroTrustIdentity } from "../../provider/src";
import { Compute } from "../../provider/src/servicePlatform/args";
import { record } from "../utils/harness";
import { SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "./authorizerWithPolicyStore/fixtures";
import { computeState as platformState } from "./servicePlatform/fixtures";
import { computeState as identityState, SEED_004_WORKLOADS } from "./zeroTrustIdentity/helpers";

const DOC = readFileSync(join(__dirname, "..", "..", "docs", "customising.md"), "utf8");

/** The `| \`logical name\` | \`type\` | ... |` rows under `### <component>`. */
function documentedChildren(component: string): { name: string; type: string }[] {
    const section = DOC.split(/^### /m).find((s) => s.startsWith(`${component}\n`));
    if (!section) throw new Error(`docs/customising.md has no section "### ${component}"`);
    return [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => ({ name: m[1], type: m[2] }));
}

async function registered(...builds: (() => unknown)[]): Promise<Set<string>> {
    const seen = new Set<string>();
    for (const build of builds) {
        const { recorder } = await record(build, { computeState: (a: any) => platformState(a) ?? identityState(a) ?? (a.type.includes("policyStore:") ? { policyStoreId: "ps-0123456789abcdef" } : undefined) });
        for (const r of recorder.resources) seen.add(`${r.type} ${r.name}`);
    }
    return seen;
}

const expectDocumented = (component: string, seen: Set<string>, placeholders: Record<string, string>) => {
    const rows = documentedChildren(component);
    expect(rows.length, `rows in the ${component} table`).toBeGreaterThan(5);
    const missing = rows
        .map((row) => `${row.type} ${row.name.replace(/<(\w+)>/g, (_, key: string) => placeholders[key] ?? `<${key}>`)}`)
        .filter((child) => !seen.has(child));
    expect(missing, `documented in docs/customising.md but not registered (renamed?)`).toEqual([]);
};

describe("logical names users' transforms match on stay as documented", () => {
    it("ServicePlatform", async () => {
        const service = { name: "api", public: true, useDatabase: true, useCache: true };
        const seen = await registered(
            () => new ServicePlatform("web", { stage: "dev", services: [service], database: {}, cache: {}, storage: { bucket: true, cdn: true }, ci: { githubRepository: "acme/web", branches: ["main"] } }),
            () => new ServicePlatform("web", { stage: "dev", services: [{ name: "api", public: true }], domain: { name: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } }),
            () => new ServicePlatform("web", { stage: "dev", compute: Compute.AppRunner, services: [{ name: "api", public: true, imageTag: "sha-0a1b2c3" }] }),
            () =>
                new ServicePlatform("web", {
                    stage: "dev",
                    services: [{ name: "api", useDatabase: true }],
                    database: { existing: { host: "shared.c0ffee12ab34.us-east-1.rds.amazonaws.com", adminSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-Ab12Cd" } },
                }),
        );
        expectDocumented("ServicePlatform", seen, { name: "web", service: "api" });
    });

    it("ZeroTrustIdentity", async () => {
        const seen = await registered(() => new ZeroTrustIdentity("id", { stage: "dev", trustDomain: "example.org", spire: { vpcId: "vpc-0abc", subnetIds: ["subnet-0a", "subnet-0b"] }, workloads: SEED_004_WORKLOADS } as any));
        expectDocumented("ZeroTrustIdentity", seen, { name: "id" });
    });

    it("AuthorizerWithPolicyStore", async () => {
        const seen = await registered(
            () => new AuthorizerWithPolicyStore("auth", { stage: "pr-7", accountAlias: "sandpit", policyStore: { schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR }, cognito: { groups: ["readers"] } }),
        );
        expectDocumented("AuthorizerWithPolicyStore", seen, { name: "auth" });
    });
});
