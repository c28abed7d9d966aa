import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The release, canary and per-PR ephemeral stack workflows: what they must do, and actionlint
// catching breakage in them (including a caller passing inputs the reusable workflow lacks).
const REPO_ROOT = resolve(__dirname, "../..");
const WORKFLOWS = join(REPO_ROOT, ".github", "workflows");
const ACTIONLINT = join(REPO_ROOT, ".tools", "bin", "actionlint");
const read = (f: string) => readFileSync(join(WORKFLOWS, f), "utf8");

describe("release, canary and ephemeral stack workflows", () => {
    let tmp: string;
    beforeAll(() => {
        const tools = spawnSync("bash", [join(REPO_ROOT, "scripts", "tools.sh")], { encoding: "utf8", timeout: 600_000 });
        expect(tools.status, tools.stderr).toBe(0);
        tmp = mkdtempSync(join(tmpdir(), "rampart-release-workflows-"));
    }, 600_000);
    afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

    it("has them", () => {
        for (const f of ["release.yml", "canary.yml", "ephemeral-stack.yml", "pr-stack.yml", "pr-stack-sweeper.yml"]) expect(existsSync(join(WORKFLOWS, f)), f).toBe(true);
    });

    it("release: npm with provenance, PyPI trusted publishing, the Go SDK tag and the plugin tarballs; OIDC, no long-lived tokens", () => {
        const release = read("release.yml");
        expect(release).toMatch(/NPM_CONFIG_PROVENANCE: "true"/);
        expect(release).toMatch(/npm run dist/);
        expect(release).toMatch(/uses: pypa\/gh-action-pypi-publish@[0-9a-f]{40}/);
        expect(release).toMatch(/git tag "\$\{tag\}"/);
        expect(release).toMatch(/tag="sdk\/v\$\{VERSION\}"/);
        expect(release).toMatch(/pulumi-resource-rampart-v"\$\{VERSION\}"-\*\.tar\.gz/);
        expect(release.match(/id-token: write/g)?.length).toBeGreaterThanOrEqual(2);
        // The only secret is the run's own GITHUB_TOKEN.
        expect([...release.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]).filter((s) => s !== "GITHUB_TOKEN")).toEqual([]);
        expect(release).not.toMatch(/NPM_TOKEN:|NODE_AUTH_TOKEN:|PYPI_API_TOKEN|password:/);
    });

    it("canary: scheduled, AWS through OIDC, every example, outputs checked, destroy always", () => {
        const canary = read("canary.yml");
        expect(canary).toMatch(/schedule:\n\s+- cron:/);
        expect(canary).toMatch(/uses: aws-actions\/configure-aws-credentials@[0-9a-f]{40}/);
        expect(canary).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\./);
        const examples = readdirSync(join(REPO_ROOT, "examples")).filter((d) => existsSync(join(REPO_ROOT, "examples", d, "Pulumi.yaml")));
        expect(examples.length).toBeGreaterThan(0);
        for (const example of examples) expect(canary, example).toContain(`"${example}"`);
        expect(canary).toMatch(/pulumi stack output --json/);
        expect(canary).toMatch(/- name: pulumi destroy\n\s+if: always\(\)/);
    });

    it("ephemeral stack: validated name from scripts/stack-name.sh, a concurrency group per stack, cap, TTL, comment, destroy, sweep", () => {
        const wf = read("ephemeral-stack.yml");
        expect(wf).toMatch(/^\s+workflow_call:/m);
        expect(wf).toMatch(/bash \.rampart\/scripts\/stack-name\.sh name "\$\{ALIAS\}" "\$\{REGION\}" "\$\{pr\}"/);
        expect(wf.match(/group: ephemeral-stack-\$\{\{ needs\.plan\.outputs\.stack-name \}\}/g)?.length).toBe(2);
        expect(wf).toMatch(/stack-name\.sh count "\$\{ALIAS\}"/);
        expect(wf).toMatch(/pulumi stack tag set rampart:expires-at/);
        expect(wf).toMatch(/gh pr comment/);
        expect(wf).not.toMatch(/^\s*[^#\n]*--show-secrets/m);
        expect(wf).toMatch(/pulumi destroy --yes/);
        expect(wf).toMatch(/stack-name\.sh expired/);
        expect(read("pr-stack-sweeper.yml")).toMatch(/mode: sweep/);
        expect(read("pr-stack-sweeper.yml")).toMatch(/schedule:/);
    });

    const mutations = [
        { name: "a caller passing an input the reusable workflow does not define", file: "pr-stack.yml", from: /^      account-alias:/m, to: "      acount-alias:", expect: /"acount-alias" is not defined/ },
        { name: "a reusable workflow output referring to a missing job", file: "ephemeral-stack.yml", from: /jobs\.plan\.outputs\.stack-name/, to: "jobs.plann.outputs.stack-name", expect: /plann/ },
        { name: "an undefined step output in release", file: "release.yml", from: /steps\.changesets\.outputs\.published \}\}/, to: "steps.changeset.outputs.published }}", expect: /changeset/ },
        { name: "a bad cron in canary", file: "canary.yml", from: /cron: "17 5 \* \* \*"/, to: 'cron: "17 25 * * *"', expect: /cron/ },
    ];

    it.each(mutations)("actionlint rejects $name", (m) => {
        const dir = mkdtempSync(join(tmp, "case-"));
        const copy = join(dir, ".github", "workflows");
        mkdirSync(copy, { recursive: true });
        spawnSync("git", ["init", "-q", dir]); // actionlint resolves local reusable workflows from the project root
        const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
        for (const f of files) copyFileSync(join(WORKFLOWS, f), join(copy, f));
        const lint = () => spawnSync(ACTIONLINT, ["-no-color", ...files.map((f) => join(".github", "workflows", f))], { cwd: dir, encoding: "utf8" });
        expect(lint().status).toBe(0);
        const original = readFileSync(join(copy, m.file), "utf8");
        expect(original).toMatch(m.from);
        writeFileSync(join(copy, m.file), original.replace(m.from, m.to));
        const broken = lint();
        expect(broken.status).toBe(1);
        expect(broken.stdout).toContain(m.file);
        expect(broken.stdout).toMatch(m.expect);
    }, 120_000);
});
