/**
 * The install routes the docs describe (issue 16 item 6): one Go install command wherever the docs
 * give one, and `@pulumi/pulumi` as a compatible range so a project on a newer 3.x gets one copy.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

function markdownFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const file = join(dir, name);
        if (name === "node_modules" || name.startsWith(".")) return [];
        if (statSync(file).isDirectory()) return markdownFiles(file);
        return name.endsWith(".md") ? [file] : [];
    });
}

describe("documented install commands", () => {
    it("gives the same `go get` command in every document", () => {
        const docs = [join(ROOT, "README.md"), join(ROOT, "CONTRIBUTING.md"), ...["docs", "examples", "sdk"].flatMap((d) => markdownFiles(join(ROOT, d)))];
        const commands = new Map<string, string[]>();
        for (const file of docs) {
            // A command may wrap across lines inside backticks in prose: join the text first.
            const text = readFileSync(file, "utf8").replace(/\s*\n\s*/g, " ");
            for (const match of text.matchAll(/go get (\S+?)(?=[`\s)]|$)/g)) {
                const where = commands.get(match[1]) ?? [];
                where.push(relative(ROOT, file));
                commands.set(match[1], where);
            }
        }
        expect(commands.size, "at least the README's Go install line").toBeGreaterThan(0);
        expect(Object.fromEntries(commands), "one module path and version spec for go get").toEqual({
            "github.com/rampart-iac/pulumi-rampart/sdk@latest": expect.arrayContaining(["README.md", join("docs", "installation-configuration.md")]),
        });
    });
});

describe("@pulumi/pulumi dependency", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));

    it("is a caret range, so npm dedupes it with a project's newer 3.x", () => {
        expect(manifest.dependencies["@pulumi/pulumi"]).toMatch(/^\^3\.\d+\.\d+$/);
    });

    it("is recorded the same way in package-lock.json, which locks a version inside the range", () => {
        expect(lock.packages[""].dependencies["@pulumi/pulumi"]).toBe(manifest.dependencies["@pulumi/pulumi"]);
        const locked = lock.packages["node_modules/@pulumi/pulumi"].version.split(".").map(Number);
        const floor = manifest.dependencies["@pulumi/pulumi"].slice(1).split(".").map(Number);
        expect(locked[0]).toBe(floor[0]);
        expect(locked[1] * 1e6 + locked[2]).toBeGreaterThanOrEqual(floor[1] * 1e6 + floor[2]);
    });
});
