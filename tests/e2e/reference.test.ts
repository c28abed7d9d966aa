/**
 * The argument reference's examples (docs/reference/<component>.md embeds them): for each component the same program in
 * TypeScript (in process), Python, Go and YAML (through the plugin) deploys through the real Pulumi engine, OFFLINE
 * against the stand-in, each into its own simulated account, and builds the same children as the TypeScript program.
 * A page shows what its program runs, because scripts/reference.mts copies the program files into the page and CI
 * checks the pages for drift.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_LANGUAGES, exampleDir, pageName } from "../../scripts/reference.mts";
import { EXAMPLE_TIMEOUT_MS, exportState, prepare, PREPARE_TIMEOUT_MS, prepareExamples, projectName } from "./projects";
import { childDifferences, normalizedChildren } from "./state";
import { bootstrapAccount, PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const LANGUAGE_RUNTIME = { ts: "nodejs", py: "python", go: "go", yaml: "yaml" } as const;
const COMPONENTS: { name: string; outputs: string[] }[] = [
    { name: "ServicePlatform", outputs: ["url", "vpcId", "repositoryUrls"] },
    { name: "ZeroTrustIdentity", outputs: ["roleArns", "rootCaCertificateSecretArn"] },
    { name: "AuthorizerWithPolicyStore", outputs: ["policyStoreId", "authorizerFunctionArn", "userPoolId"] },
];

describe.skipIf(!ready)("argument reference examples deploy alike in four languages", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    for (const component of COMPONENTS) {
        it(`${component.name}: docs/reference/${pageName(component.name)}.md, TypeScript, Python, Go and YAML`, () => {
            const ws = new PulumiWorkspace(`reference-${pageName(component.name)}`);
            try {
                let expected: Map<string, unknown> | undefined;
                for (const language of EXAMPLE_LANGUAGES) {
                    const dir = prepare({ dir: relative(REPO_ROOT, exampleDir(component.name, language.key)), language: LANGUAGE_RUNTIME[language.key] });
                    expect(existsSync(join(dir, language.file))).toBe(true);
                    const account = { env: { RAMPART_STANDIN_ACCOUNTS: join(ws.root, `${language.key}-account.json`) } };
                    bootstrapAccount(account.env.RAMPART_STANDIN_ACCOUNTS);
                    ws.run(["stack", "init", ws.stack], dir, account);
                    ws.run(["up", "--yes", "--skip-preview"], dir, account);

                    const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir, account).stdout);
                    for (const key of component.outputs) {
                        expect(JSON.stringify(outputs[key] ?? null), `${language.title} output ${key}`).not.toMatch(/^(""|null|\{\}|\[\])$/);
                    }
                    const resources = exportState(ws, dir);
                    const root = resources.find((r) => r.type === `rampart:index:${component.name}`)!;
                    const children = normalizedChildren(resources, root.urn, projectName(dir));
                    expect(children.size, `${language.title} children`).toBeGreaterThan(3);
                    if (expected) expect(childDifferences(children, expected), `${language.title} against TypeScript`).toEqual([]);
                    else expected = children;
                }
            } finally {
                ws.dispose();
            }
        }, EXAMPLE_TIMEOUT_MS);
    }
});
