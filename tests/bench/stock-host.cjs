// The stock source-based component host for this package, for tests/bench/startup.mts to compare
// against our host (bin/host/main.js). Run as a plugin: `node tests/bench/stock-host.cjs <engine>`.
//
// It does what `componentProviderHost({ components, dirname, name })` from
// @pulumi/pulumi/provider/experimental does, spelled out because of one adjustment (below).
// Requires a build (`npm run build`): the components come from the compiled entry point bin/index.js.
"use strict";
const path = require("path");
const { ComponentProvider, getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider.js");
const { main } = require("@pulumi/pulumi/provider");

const repoRoot = path.resolve(__dirname, "..", "..");
const components = getPulumiComponents(require(path.join(repoRoot, "bin", "index.js")));
const provider = new ComponentProvider({ components, dirname: repoRoot, name: "rampart" });

// The stock analyzer (run on the first GetSchema or Construct) finds the package's entry point through
// package.json "exports"/"main". Here those name compiled JavaScript (bin/index.js, bin/host/main.js),
// which the analyzer cannot read types from, so point it at the TypeScript source instead: exactly
// what scripts/schema.mts does when it generates schema.json. `packageJSON` is a private field of
// ComponentProvider, read only by getSchema(); replacing it changes nothing else.
provider.packageJSON = { ...provider.packageJSON, exports: undefined, main: "provider/src/index.ts" };

main(provider, process.argv.slice(2));
