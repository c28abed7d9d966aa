/** Finds the authorizer's bundled code (`bin/lambda/authorizer/index.js`, written by `npm run build`). */
import { existsSync } from "fs";
import { dirname, join } from "path";

export const AUTHORIZER_BUNDLE = join("bin", "lambda", "authorizer", "index.js");

/**
 * The package root: the nearest directory above `from` holding a package.json. Works from
 * provider/src (tests read the TypeScript sources) and from bin/ (the compiled package).
 */
export function packageRoot(from: string = __dirname): string {
    let dir = from;
    for (;;) {
        if (existsSync(join(dir, "package.json"))) return dir;
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`no package.json above ${from}: cannot locate the rampart package`);
        dir = parent;
    }
}

export function authorizerBundlePath(root: string = packageRoot()): string {
    const path = join(root, AUTHORIZER_BUNDLE);
    if (!existsSync(path)) {
        throw new Error(`the authorizer Lambda bundle ${path} is missing: run \`npm run build\` in ${root} (it bundles provider/lambda/authorizer with esbuild)`);
    }
    return path;
}
