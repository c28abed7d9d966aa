// The main job, offline: runs examples/service-platform-ts under Pulumi's mock engine (no AWS, no
// Pulumi CLI) and prints the resource tree it would deploy. Real deployments use `pulumi up` in
// the example folder.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ResourceRecorder, resolve as resolveOutput, type RecordedResource } from "../tests/utils/harness.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const exampleName = process.argv[2] ?? "service-platform-ts";
const exampleDir = join(root, "examples", exampleName);
if (!existsSync(join(exampleDir, "index.ts"))) {
    console.error(`no example ${exampleName} (looked for ${join(exampleDir, "index.ts")})`);
    process.exit(2);
}

// Make `@rampart-iac/pulumi-rampart` resolve to this checkout, as `npm install` of "file:../.." would.
const link = join(exampleDir, "node_modules", "@rampart-iac", "pulumi-rampart");
if (!existsSync(link) && !isSymlink(link)) {
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), root), link, "dir");
}

console.log(`rampart example "${exampleName}": OFFLINE preview under Pulumi's mock engine (no AWS calls, no state).`);
const started = performance.now();
const recorder = await ResourceRecorder.start({ project: exampleName, stack: "dev" });
const program = await import(pathToFileURL(join(exampleDir, "index.ts")).href);
await recorder.settle();

const byParent = new Map<string, RecordedResource[]>();
for (const r of recorder.resources) byParent.set(r.parentUrn, [...(byParent.get(r.parentUrn) ?? []), r]);
const print = (parentUrn: string, depth: number) => {
    for (const r of byParent.get(parentUrn) ?? []) {
        console.log(`${"  ".repeat(depth + 1)}${r.type}  ${r.name}`);
        print(r.urn, depth + 1);
    }
};
const topLevel = recorder.resources.filter((r) => !recorder.byUrn(r.parentUrn));
for (const r of topLevel) {
    console.log(`  ${r.type}  ${r.name}`);
    print(r.urn, 1);
}
console.log("outputs:");
for (const [name, value] of Object.entries(program)) {
    if (name === "default") continue;
    console.log(`  ${name}: ${JSON.stringify(await resolveOutput(value as never)) ?? "(not set)"}`);
}
console.log(`${recorder.resources.length} resources in ${((performance.now() - started) / 1000).toFixed(2)} s`);

function isSymlink(path: string): boolean {
    try {
        return lstatSync(path).isSymbolicLink();
    } catch {
        return false;
    }
}
