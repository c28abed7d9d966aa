// Bundles the plugin (bin/host/plugin.js: the host, the components, @pulumi/pulumi, @pulumi/aws, ...)
// into one CommonJS file with esbuild, bin/host/plugin.bundle.js by default. bin/host/main.js runs it
// when it is newer than the compiled entry point; the plugin tarball (scripts/plugin.sh) ships it.
// One file instead of ~1,800 modules saves Node's module resolution, which is most of the time the
// first Construct spends loading the components.
//
//   node scripts/bundle-plugin.mts [OUTFILE]
//
// One change to the bundled code, behaviour kept: @pulumi/pulumi's runtime/index.js reads
// serializeFunction, serializeFunctionAsync and computeCodePaths from their modules when it loads.
// Those modules load the TypeScript compiler and npm's arborist (about 60% of the bundle's load
// time) for function serialization, which the components never use. In the bundle the three exports
// are getters that load their module on first use instead.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const esbuild = require("esbuild");
const outfile = resolve(process.argv[2] ?? join(root, "bin", "host", "plugin.bundle.js"));

const EAGER_CLOSURE_EXPORTS = `var serializeClosure_1 = require("./closure/serializeClosure");
exports.serializeFunctionAsync = serializeClosure_1.serializeFunctionAsync;
exports.serializeFunction = serializeClosure_1.serializeFunction;
var codePaths_1 = require("./closure/codePaths");
exports.computeCodePaths = codePaths_1.computeCodePaths;
`;
const LAZY_CLOSURE_EXPORTS = `Object.defineProperty(exports, "serializeFunctionAsync", { enumerable: true, get: () => require("./closure/serializeClosure").serializeFunctionAsync });
Object.defineProperty(exports, "serializeFunction", { enumerable: true, get: () => require("./closure/serializeClosure").serializeFunction });
Object.defineProperty(exports, "computeCodePaths", { enumerable: true, get: () => require("./closure/codePaths").computeCodePaths });
`;

const lazyClosureExports = {
    name: "lazy-closure-exports",
    setup(build: any) {
        build.onLoad({ filter: /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]index\.js$/ }, (args: { path: string }) => {
            const source = readFileSync(args.path, "utf8").replace(/\r\n/g, "\n");
            if (!source.includes(EAGER_CLOSURE_EXPORTS)) {
                throw new Error(`${args.path} no longer has the closure exports scripts/bundle-plugin.mts rewrites; update the script for this @pulumi/pulumi`);
            }
            return { contents: source.replace(EAGER_CLOSURE_EXPORTS, LAZY_CLOSURE_EXPORTS), loader: "js" };
        });
    },
};

const started = performance.now();
const result = await esbuild.build({
    entryPoints: [join(root, "bin", "host", "plugin.js")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // Syntax and whitespace only: the host finds component classes by their names.
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    // cedar-wasm reads its .wasm next to its JavaScript, so it stays a package.
    external: ["@cedar-policy/cedar-wasm"],
    plugins: [lazyClosureExports],
    metafile: true,
    logLevel: "error",
});
const bytes = Object.values<{ bytes: number }>(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
const standIns = Object.keys(result.metafile.inputs).filter((i) => /tests[\\/]/.test(i));
if (standIns.length) throw new Error(`the plugin bundle must not contain test code: ${standIns.join(", ")}`);
console.log(`bundled plugin: ${(bytes / 1024 / 1024).toFixed(1)} MiB -> ${outfile.startsWith(root) ? outfile.slice(root.length + 1) : outfile} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
