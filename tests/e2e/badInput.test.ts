/**
 * Wrong arguments from every language through the real engine (issue 16): a string for a boolean,
 * a misspelt key and a missing required argument each give one error that names the argument
 * path, every problem printed once, no JavaScript stack trace, object dump or colour codes from the
 * plugin, no error from an unrelated component in the same program, and nothing created. Python,
 * Go and YAML reach the components through the plugin (its schema type check); TypeScript and
 * JavaScript call them directly (the component's own validation).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_TIMEOUT_MS, exportState, initFromConfigStack, onlyMonitorShutdownTracebacks, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}

const PROGRAMS = "tests/e2e/programs";
const SP = 'ServicePlatform "skreg"';
const PUBLIC = `${SP}: services[0].public: got "false" (a string); expected a boolean (write false, not "false")`;
const MEMROY = `${SP}: services[0].memroy: got 2048 (a number); PlatformService has no argument "memroy"; did you mean "memory"?`;
const NO_NAME = `${SP}: services[1].name: nothing was given; expected a string; it is required`;

/** Runs `pulumi up --yes` (which previews first) and returns everything the user sees. */
function upFails(ws: PulumiWorkspace, dir: string): string {
    const up = ws.run(["up", "--yes"], dir, { allowFailure: true });
    expect(up.status, "pulumi up fails").not.toBe(0);
    return up.stdout + up.stderr;
}

function occurrences(text: string, line: string): number {
    return text.split(line).length - 1;
}

/**
 * The one error: the heading and each problem line exactly once, nothing from the plugin's insides,
 * nothing from the unrelated component, nothing created.
 */
function expectOneCleanError(ws: PulumiWorkspace, dir: string, text: string, heading: string, problems: string[]): void {
    expect(occurrences(text, `${heading}\n${problems.map((p) => `      ${p}`).join("\n")}\n`), `the error, once, in:\n${text}`).toBe(1);
    for (const problem of problems) expect(occurrences(text, problem), `printed once: ${problem}`).toBe(1);
    expect(text, "the engine's per-property lines would repeat each problem").not.toContain("has a problem: got");
    expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
    expect(text, "no object dump").not.toMatch(/__pulumi|propertyPath|problems: \[|errors: \[/);
    expect(text, "no colour codes").not.toContain("\u001b[");
    expect(text, "no error from the unrelated component").not.toMatch(/unrelated.*(error|has a problem)|client connection is closing/);
    expect(exportState(ws, dir).filter((r) => r.type !== "pulumi:pulumi:Stack"), "nothing is created").toEqual([]);
}

describe.skipIf(!ready)("wrong arguments from each language: one clean error naming the path, nothing created", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    it(
        "Python: a string for a boolean, a misspelt key and a service without a name",
        () => {
            const ws = new PulumiWorkspace("bad-input-py");
            try {
                const dir = prepare({ dir: `${PROGRAMS}/bad-input-py`, language: "python" });
                ws.run(["stack", "init", ws.stack], dir);
                const text = upFails(ws, dir);
                expectOneCleanError(ws, dir, text, `${SP} has 3 invalid arguments:`, [MEMROY, PUBLIC, NO_NAME]);
                expect(text, "a Python traceback other than the SDK's report of the monitor shutdown (upstream, see onlyMonitorShutdownTracebacks)").toSatisfy(onlyMonitorShutdownTracebacks);
            } finally {
                ws.dispose();
            }
        },
        EXAMPLE_TIMEOUT_MS,
    );

    it(
        "Go: a missing stage and a service without a name through the typed SDK; a string for a boolean and a misspelt key through an untyped map",
        () => {
            const ws = new PulumiWorkspace("bad-input-go");
            try {
                const dir = prepare({ dir: `${PROGRAMS}/bad-input-go`, language: "go" });
                ws.run(["stack", "init", ws.stack], dir);
                ws.run(["config", "set", "case", "missing"], dir);
                expectOneCleanError(ws, dir, upFails(ws, dir), `${SP} has 2 invalid arguments:`, [
                    `${SP}: stage: got "" (an empty string, as Go sends a field it was not given); expected a non-empty string; it is required`,
                    `${SP}: services[0].name: got "" (an empty string, as Go sends a field it was not given); expected a non-empty string; it is required`,
                ]);
                ws.run(["config", "set", "case", "untyped"], dir);
                expectOneCleanError(ws, dir, upFails(ws, dir), `${SP} has 2 invalid arguments:`, [MEMROY, PUBLIC]);
            } finally {
                ws.dispose();
            }
        },
        EXAMPLE_TIMEOUT_MS,
    );

    it(
        "YAML: services from stack config (which Pulumi YAML cannot type) are checked by the plugin",
        () => {
            const ws = new PulumiWorkspace("bad-input-yaml-config");
            try {
                const dir = prepare({ dir: `${PROGRAMS}/bad-input-yaml-config`, language: "yaml" });
                ws.run(["stack", "init", ws.stack], dir);
                // What a user writes in Pulumi.<stack>.yaml.
                writeFileSync(
                    join(dir, `Pulumi.${ws.stack}.yaml`),
                    ["config:", "  bad-input-yaml-config:services:", "    - name: api", '      public: "false"', "      memroy: 2048", "    - port: 8080", ""].join("\n"),
                );
                expectOneCleanError(ws, dir, upFails(ws, dir), `${SP} has 3 invalid arguments:`, [MEMROY, PUBLIC, NO_NAME]);
            } finally {
                ws.dispose();
            }
        },
        EXAMPLE_TIMEOUT_MS,
    );

    it(
        "YAML: literal arguments are refused by Pulumi YAML's own schema check, naming each path, before the plugin is asked",
        () => {
            const ws = new PulumiWorkspace("bad-input-yaml");
            try {
                const dir = prepare({ dir: `${PROGRAMS}/bad-input-yaml`, language: "yaml" });
                ws.run(["stack", "init", ws.stack], dir);
                // Pulumi YAML writes its diagnostics in colour whatever NO_COLOR says (pulumi-yaml
                // pkg/server/server.go: NewDiagnosticWriter(stderr, 0, true)); the plugin adds none.
                const text = upFails(ws, dir).replace(/\u001b\[[0-9;]*m/g, "");
                expect(text).toContain("public: Cannot assign type 'string' to type 'boolean'");
                expect(text).toContain("name: Missing required property 'name'");
                expect(text).toContain("memroy: 2048");
                expect(text).toContain("Existing properties are: memory,");
                expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts):\d+:\d+/);
                expect(text).not.toContain("client connection is closing");
                expect(exportState(ws, dir).filter((r) => r.type !== "pulumi:pulumi:Stack"), "nothing is created").toEqual([]);
            } finally {
                ws.dispose();
            }
        },
        EXAMPLE_TIMEOUT_MS,
    );

    it(
        "JavaScript: the component's own validation prints its message only (no stack trace, object dump or colour codes)",
        () => {
            const ws = new PulumiWorkspace("bad-input-js");
            try {
                const dir = prepare({ dir: `${PROGRAMS}/from-config`, language: "nodejs" });
                initFromConfigStack(ws, dir, "ServicePlatform", "skreg", { stage: "Bad_Stage", services: [{ name: "api", cpu: "512", memory: 1024 }] });
                expectOneCleanError(ws, dir, upFails(ws, dir), `${SP} has 2 invalid arguments:`, [
                    `${SP}: stage: got "Bad_Stage"; lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters (^[a-z0-9]+(-[a-z0-9]+)*$)`,
                    `${SP}: services[0].cpu: got "512"; a number of CPU units Fargate offers: one of 256, 512, 1024, 2048, 4096, 8192, 16384`,
                ]);
            } finally {
                ws.dispose();
            }
        },
        EXAMPLE_TIMEOUT_MS,
    );
});
