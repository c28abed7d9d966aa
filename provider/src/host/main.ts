// Plugin entry point (package.json "main"; the plugin tarball's launcher runs it too). It turns on
// Node's module compile cache first, so every run after the first reuses V8's compiled code instead of
// compiling the plugin again, then runs the plugin: the esbuild bundle (bin/host/plugin.bundle.js,
// built by `npm run build`) when it is at least as new as the compiled entry point, else the compiled
// modules (./plugin), which behave the same but take longer to load.
import { existsSync, statSync } from "node:fs";
import * as nodeModule from "node:module";
import * as path from "node:path";

nodeModule.enableCompileCache?.();

const bundle = path.join(__dirname, "plugin.bundle.js");
const compiledEntryPoint = path.join(__dirname, "..", "index.js");

function bundleIsCurrent(): boolean {
    if (!existsSync(bundle)) return false;
    return !existsSync(compiledEntryPoint) || statSync(bundle).mtimeMs >= statSync(compiledEntryPoint).mtimeMs;
}

const plugin = bundleIsCurrent() ? require(bundle) : require("./plugin");
nodeModule.flushCompileCache?.();

export = plugin;
