// The plugin itself, run through main.ts: serves schema.json and constructs the components, which it
// loads from the entry point on the first Construct.
import { readFileSync } from "fs";
import * as nodeModule from "node:module";
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { RampartProvider } from "./provider";

const packageRoot = path.join(__dirname, "..", "..");
const schema = readFileSync(path.join(packageRoot, "schema.json"), "utf8");
const provider = new RampartProvider(schema, loadEntryPoint);

/** Set by main.ts when it runs the bundle without a current code cache: writes one. */
const ENTRY_POINT_LOADED = Symbol.for("rampart.plugin.entryPointLoaded");

function loadEntryPoint(): Record<string, unknown> {
    const entry = require("../index");
    // Write the caches now: the engine stops plugins with a signal, which skips Node's flush at exit.
    nodeModule.flushCompileCache?.();
    const writeBundleCodeCache = (globalThis as Record<symbol, unknown>)[ENTRY_POINT_LOADED];
    if (typeof writeBundleCodeCache === "function") writeBundleCodeCache();
    return entry;
}

export = main(provider, process.argv.slice(2));
