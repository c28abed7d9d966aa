// Bundles the code that runs in AWS (provider/lambda/<name>/handler.ts) into
// bin/lambda/<name>/index.js with esbuild: one self-contained CommonJS file per function, the
// assets the components deploy. Deterministic: same sources, same bytes.
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const lambdaRoot = join(root, "provider", "lambda");
const esbuild = require("esbuild");

const names = existsSync(lambdaRoot) ? readdirSync(lambdaRoot).filter((n) => existsSync(join(lambdaRoot, n, "handler.ts"))) : [];
for (const name of names) {
    const outfile = join(root, "bin", "lambda", name, "index.js");
    const result = await esbuild.build({
        entryPoints: [join(lambdaRoot, name, "handler.ts")],
        outfile,
        bundle: true,
        platform: "node",
        // ES modules first, so esbuild keeps only what the handler uses of libraries such as @smithy/core.
        mainFields: ["module", "main"],
        target: "node22",
        format: "cjs",
        minify: true,
        legalComments: "none",
        sourcemap: false,
        metafile: true,
        logLevel: "warning",
    });
    const bytes = Object.values<{ bytes: number }>(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
    const imports = Object.keys(result.metafile.inputs).filter((i) => /node_modules\/@pulumi\//.test(i));
    if (imports.length) throw new Error(`lambda ${name} must not import @pulumi/*: ${imports.join(", ")}`);
    console.log(`bundled lambda ${name}: ${(bytes / 1024).toFixed(1)} KiB -> ${outfile.slice(root.length + 1)}`);
}
