import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// GitHub Actions workflows: actionlint passes on them, actionlint demonstrably
// fails on a broken copy, and every action is pinned to a commit SHA.
//
// actionlint is built from source by scripts/tools.sh (Go module proxy) into
// .tools/bin; the first build on a machine takes up to a minute or two.

const repoRoot = path.resolve(__dirname, "../..");
const workflowsDir = path.join(repoRoot, ".github", "workflows");
const actionlint = path.join(repoRoot, ".tools", "bin", "actionlint");
const BUILD_TIMEOUT_MS = 600_000;

function run(cmd: string, args: string[], cwd = repoRoot): SpawnSyncReturns<string> {
    const result = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: BUILD_TIMEOUT_MS, env: { ...process.env, NO_COLOR: "1" } });
    if (result.error) throw result.error;
    return result;
}

function describeRun(result: SpawnSyncReturns<string>): string {
    return `exit ${result.status} (signal ${result.signal})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

function workflowFiles(): string[] {
    return fs
        .readdirSync(workflowsDir)
        .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
        .sort();
}

describe("GitHub Actions workflows", () => {
    let tmp: string;

    beforeAll(() => {
        // Build (or find) actionlint once, so each test's own timing is honest.
        const tools = run("bash", [path.join(repoRoot, "scripts", "tools.sh")]);
        expect(tools.status, describeRun(tools)).toBe(0);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rampart-workflows-"));
    }, BUILD_TIMEOUT_MS);

    afterAll(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("has the expected workflows", () => {
        expect(workflowFiles()).toEqual(expect.arrayContaining(["ci.yml", "release.yml"]));
    });

    it("scripts/lint-workflows.sh passes (actionlint finds nothing)", () => {
        const result = run("bash", [path.join(repoRoot, "scripts", "lint-workflows.sh")]);
        expect(result.status, describeRun(result)).toBe(0);
        expect(result.stdout).toMatch(/workflow file\(s\) clean/);
    }, BUILD_TIMEOUT_MS);

    // Proves the lint can fail: each mutation of a copy must be reported,
    // naming the file, while the unmodified copy stays clean.
    const mutations: { name: string; file: string; from: RegExp; to: string; expect: RegExp }[] = [
        {
            name: "undefined matrix property in runs-on",
            file: "ci.yml",
            from: /runs-on: ubuntu-latest/,
            to: "runs-on: ${{ matrix.nope }}",
            expect: /nope/,
        },
        {
            name: "misspelled job key",
            file: "release.yml",
            from: /runs-on: ubuntu-latest/,
            to: "runs-onn: ubuntu-latest",
            expect: /runs-onn/,
        },
    ];

    it.each(mutations)("actionlint rejects a copy with an $name", (m) => {
        const dir = fs.mkdtempSync(path.join(tmp, "case-"));
        const copyDir = path.join(dir, ".github", "workflows");
        fs.mkdirSync(copyDir, { recursive: true });
        for (const f of workflowFiles()) fs.copyFileSync(path.join(workflowsDir, f), path.join(copyDir, f));
        const copies = workflowFiles().map((f) => path.join(copyDir, f));

        const clean = run(actionlint, ["-no-color", ...copies], dir);
        expect(clean.status, `unmodified copy should be clean: ${describeRun(clean)}`).toBe(0);

        const target = path.join(copyDir, m.file);
        const original = fs.readFileSync(target, "utf8");
        expect(original).toMatch(m.from);
        fs.writeFileSync(target, original.replace(m.from, m.to));

        const broken = run(actionlint, ["-no-color", ...copies], dir);
        expect(broken.status, describeRun(broken)).not.toBe(0);
        expect(broken.status, describeRun(broken)).not.toBeNull();
        const output = broken.stdout + broken.stderr;
        expect(output).toContain(m.file);
        expect(output).toMatch(m.expect);
        // Only the mutated file is reported.
        for (const f of workflowFiles().filter((f) => f !== m.file)) expect(output).not.toContain(`${f}:`);
    }, BUILD_TIMEOUT_MS);

    it("pins every `uses:` to a full 40-hex commit SHA with a version comment", () => {
        const found: string[] = [];
        const problems: string[] = [];
        for (const f of workflowFiles()) {
            const lines = fs.readFileSync(path.join(workflowsDir, f), "utf8").split("\n");
            lines.forEach((line, i) => {
                const m = /^\s*(?:-\s+)?uses:\s*(.*)$/.exec(line);
                if (!m) return;
                const [value, comment = ""] = m[1].split(/\s+#\s*/, 2);
                const ref = value.trim().replace(/^["']|["']$/g, "");
                const where = `${f}:${i + 1}: ${ref}`;
                found.push(where);
                if (ref.startsWith("./")) return; // local action: versioned with this repository
                if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref)) problems.push(`${where} is not pinned to a 40-hex commit SHA`);
                else if (!/^v\d+\.\d+\.\d+/.test(comment.trim())) problems.push(`${where} lacks a "# vX.Y.Z" comment`);
            });
        }
        expect(found.length).toBeGreaterThanOrEqual(6);
        expect(problems).toEqual([]);
    });
});
