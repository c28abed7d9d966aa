// Plugin entry point (package.json "main"; the plugin tarball's launcher runs it too). It runs the
// plugin from the esbuild bundle bin/host/plugin.bundle.js (built by `npm run build`) when that is at
// least as new as the compiled entry point, else from the compiled modules (./plugin), which behave
// the same but load more slowly.
//
// Both keep V8's compiled code between runs, where Node keeps its module compile cache
// (NODE_COMPILE_CACHE, else node-compile-cache in os.tmpdir(); NODE_DISABLE_COMPILE_CACHE=1 turns both
// off). The compiled modules use that cache. The bundle has a code cache of its own, written once the
// components have loaded: Node's cache is written before a module runs, so for one big bundle it holds
// little more than the top level, and V8 then compiles the functions the first Construct runs again
// on every start (measured: more CPU than no cache at all). A cache that cannot be read or written
// only costs speed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";

const bundle = path.join(__dirname, "plugin.bundle.js");
const compiledEntryPoint = path.join(__dirname, "..", "index.js");
/** plugin.ts calls the function stored under this key once it has loaded the components. */
const ENTRY_POINT_LOADED = Symbol.for("rampart.plugin.entryPointLoaded");

function bundleIsCurrent(): boolean {
    if (!existsSync(bundle)) return false;
    return !existsSync(compiledEntryPoint) || statSync(bundle).mtimeMs >= statSync(compiledEntryPoint).mtimeMs;
}

/** One file per bundle file (path, size, modification time), Node build and user (as Node's own cache); undefined when caching is off. */
function bundleCodeCacheFile(): string | undefined {
    if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
    const { size, mtimeMs } = statSync(bundle);
    const key = createHash("sha256").update(JSON.stringify([process.version, process.arch, process.getuid?.(), bundle, size, mtimeMs])).digest("hex").slice(0, 32);
    const directory = process.env.NODE_COMPILE_CACHE || path.join(tmpdir(), "node-compile-cache");
    return path.join(directory, "rampart-plugin", `${key}.bin`);
}

function readIfPresent(file: string | undefined): Buffer | undefined {
    try {
        return file ? readFileSync(file) : undefined;
    } catch {
        return undefined;
    }
}

function runBundle(): unknown {
    const cacheFile = bundleCodeCacheFile();
    const cachedData = readIfPresent(cacheFile);
    const script = new vm.Script(nodeModule.wrap(readFileSync(bundle, "utf8")), {
        filename: bundle,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cacheFile && (!cachedData || script.cachedDataRejected)) {
        (globalThis as Record<symbol, unknown>)[ENTRY_POINT_LOADED] = () => {
            try {
                mkdirSync(path.dirname(cacheFile), { recursive: true });
                const partial = `${cacheFile}.${process.pid}`;
                writeFileSync(partial, script.createCachedData());
                renameSync(partial, cacheFile);
            } catch {
                // The next run compiles again.
            }
        };
    }
    const bundleModule = { exports: {} };
    const moduleWrapper = script.runInThisContext();
    moduleWrapper.call(bundleModule.exports, bundleModule.exports, nodeModule.createRequire(bundle), bundleModule, bundle, __dirname);
    return bundleModule.exports;
}

function runCompiledModules(): unknown {
    nodeModule.enableCompileCache?.();
    return require("./plugin");
}

export = bundleIsCurrent() ? runBundle() : runCompiledModules();
