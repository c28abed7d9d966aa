/**
 * Entry point of the OFFLINE STAND-IN provider plugin (tests only):
 *   node main.js <aws|tls|random> [engine address and engine flags...]
 * build.sh writes `pulumi-resource-<pkg>` launchers for it; the offline scripts put them on PATH so
 * the Pulumi engine uses them as ambient plugins instead of downloading the real providers.
 */
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { banner, isStandInPackage, StandInProvider } from "./provider";

/**
 * The stock server in @pulumi/pulumi/provider answers Configure itself and never passes the
 * configuration (e.g. `aws:region`) to the Provider. Wrap its Configure handler, when the service is
 * registered, so the stand-in learns the configuration and then answers as the stock one does,
 * plus `supportsPreview` as the bridged providers do: the engine then asks Create and Update during
 * a preview (the wrapped handlers pass the request's preview flag on), so a preview shows the
 * outputs an in-place update keeps instead of marking them unknown and previewing replacements of
 * dependents that `up` does not do.
 */
function forwardConfigure(provider: StandInProvider): void {
    const serverJs = require.resolve("@pulumi/pulumi/provider/server");
    // The same @grpc/grpc-js instance the stock server uses.
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(serverJs)] }));
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: unknown, service: any, impl: any) {
        if (service?.configure?.path === "/pulumirpc.ResourceProvider/Configure" && typeof impl?.configure === "function") {
            const stock = impl.configure;
            impl.configure = function (this: unknown, call: any, callback: unknown) {
                try {
                    const vars: Record<string, unknown> = {};
                    call.request.getVariablesMap().forEach((v: string, k: string) => (vars[k] = v));
                    const args = call.request.getArgs?.()?.toJavaScript?.() ?? {};
                    for (const [k, v] of Object.entries(args)) vars[k] ??= v;
                    provider.configure(vars);
                } catch (e) {
                    console.error(`stand-in: could not read the provider configuration: ${e}`);
                }
                return stock.call(this, call, (err: unknown, resp: any) => {
                    resp?.setSupportspreview?.(true);
                    (callback as (e: unknown, r: unknown) => void)(err, resp);
                });
            };
            for (const method of ["create", "update"]) {
                const handler = impl[method];
                if (typeof handler !== "function") continue;
                impl[method] = function (this: unknown, call: any, callback: unknown) {
                    return provider.inPreview(Boolean(call.request.getPreview?.()), () => handler.call(this, call, callback));
                };
            }
        }
        return addService.call(this, service, impl);
    };
}

const [pkg, ...engineArgs] = process.argv.slice(2);
if (!isStandInPackage(pkg)) {
    console.error(`usage: node main.js <aws|tls|random> [engine args...] (got ${JSON.stringify(pkg)})`);
    process.exit(2);
}
console.error(banner(pkg));
const provider = new StandInProvider(pkg);
forwardConfigure(provider);
void main(provider, engineArgs);
