// Scaling benchmark: how ServicePlatform's construction time under Pulumi's mock engine grows with the number
// of services. Each size is built several times; each run registers every resource through the recording
// harness (tests/utils/harness.ts) and waits until all registrations settled.
//
//   npm run build && node tests/bench/servicePlatform-scale.mts [--reps N] [--sizes 1,10,50]
//
// It loads the compiled component (bin/index.js), prints per size the median construction time, the resources
// registered, and the time per service and per resource, then the marginal cost per added service between the
// smallest and the largest size. Flat per-service cost means construction is linear in the number of services.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ResourceRecorder } from "../utils/harness.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const entry = join(REPO, "bin", "index.js");
if (!existsSync(entry)) {
    console.error(`no ${entry}: run \`npm run build\` first`);
    process.exit(2);
}
const { ServicePlatform } = createRequire(import.meta.url)(entry);

const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const reps = Number(arg("reps", "5"));
const sizes = arg("sizes", "1,10,50").split(",").map(Number);

/** A platform with n services shaped like skreg's: half public (path-routed), all on the database, one secret each. */
function platformArgs(n: number) {
    return {
        stage: "bench",
        services: Array.from({ length: n }, (_, i) => ({
            name: `svc-${i}`,
            cpu: 256,
            memory: 512,
            public: i % 2 === 0,
            ...(i > 0 && i % 2 === 0 ? { pathPatterns: [`/svc-${i}/*`] } : {}),
            useDatabase: true,
            secrets: { TOKEN: `token-${i}` },
            environment: { INDEX: String(i) },
        })),
        database: {},
        cache: {},
        storage: { cdn: true },
        ci: { githubRepository: "org/repo" },
    };
}

async function once(n: number): Promise<{ ms: number; resources: number }> {
    const recorder = await ResourceRecorder.start({ project: "bench", stack: "bench" });
    const started = performance.now();
    new ServicePlatform(`p${n}`, platformArgs(n));
    await recorder.settle();
    return { ms: performance.now() - started, resources: recorder.resources.length };
}

const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// One warm-up run so module loading and JIT do not land in the first measurement.
await once(1);

console.log(`ServicePlatform construction under mocks (median of ${reps} runs, Node ${process.version})`);
console.log("services  resources  median ms  ms/service  ms/resource  runs (ms)");
const results: { n: number; ms: number; resources: number }[] = [];
for (const n of sizes) {
    const runs: { ms: number; resources: number }[] = [];
    for (let r = 0; r < reps; r++) runs.push(await once(n));
    const ms = median(runs.map((x) => x.ms));
    const resources = runs[0].resources;
    results.push({ n, ms, resources });
    console.log(
        `${String(n).padStart(8)}  ${String(resources).padStart(9)}  ${ms.toFixed(0).padStart(9)}  ${(ms / n).toFixed(1).padStart(10)}  ${(ms / resources).toFixed(2).padStart(11)}  ${runs.map((x) => x.ms.toFixed(0)).join(" ")}`,
    );
}
if (results.length >= 2) {
    const [first, last] = [results[0], results[results.length - 1]];
    const perService = (last.ms - first.ms) / (last.n - first.n);
    const perServiceResources = (last.resources - first.resources) / (last.n - first.n);
    console.log(
        `marginal cost per added service (${first.n} -> ${last.n}): ${perService.toFixed(1)} ms and ${perServiceResources.toFixed(1)} resources; fixed cost of the platform: ${(first.ms - perService * first.n).toFixed(0)} ms`,
    );
}
