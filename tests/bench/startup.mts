// Start-up benchmark: the stock source-based component host (tests/bench/stock-host.cjs, which runs
// @pulumi/pulumi's TypeScript analyzer on the first GetSchema/Construct) against ours
// (bin/host/main.js, which serves the committed schema.json).
//
//   npm run build && node tests/bench/startup.mts [--reps N] [--component ZeroTrustIdentity|ServicePlatform]
//       [--preview] [--timeout SECONDS] [--ours-entry FILE] [--verbose]
//
// Each repetition starts each host as a real plugin process (`node <entry> <engineAddress>`), the way the
// engine does, and times from spawn:
//   1. the gRPC port printed on stdout (process start),
//   2. the GetSchema response (time-to-schema),
//   3. the first Construct of a component completed (after GetSchema and Configure, in the same process).
// The Construct talks to a mock engine and resource monitor served by this script. It prints medians per
// phase, the stock/ours ratios and a one-line summary; it asserts no targets, but exits non-zero when a
// host fails (dies, errors, times out, or serves a schema whose resources differ from schema.json).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { sortDeep } from "../../scripts/schema.mts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
// Load gRPC and the generated stubs exactly as the Pulumi SDK resolves them.
const sdkRequire = createRequire(join(REPO, "node_modules", "@pulumi", "pulumi", "package.json"));
const grpc = sdkRequire("@grpc/grpc-js");
const providerGrpc = sdkRequire("./proto/provider_grpc_pb.js");
const providerPb = sdkRequire("./proto/provider_pb.js");
const resourceGrpc = sdkRequire("./proto/resource_grpc_pb.js");
const resourcePb = sdkRequire("./proto/resource_pb.js");
const engineGrpc = sdkRequire("./proto/engine_grpc_pb.js");
const enginePb = sdkRequire("./proto/engine_pb.js");
const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb.js");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb.js");

// ---------------------------------------------------------------------------------------------------------
// Options

interface Options {
    reps: number;
    component: string;
    preview: boolean;
    verbose: boolean;
    timeoutMs: number;
    /** Entry point of "ours" (default bin/host/main.js); lets a candidate host build be compared. */
    oursEntry: string;
}

const COMPONENT_INPUTS: Record<string, Record<string, unknown>> = {
    ZeroTrustIdentity: { stage: "bench" },
    ServicePlatform: { stage: "bench", services: [{ name: "api" }] },
};

function parseOptions(argv: string[]): Options {
    const opts: Options = { reps: 5, component: "ZeroTrustIdentity", preview: false, verbose: false, timeoutMs: 120_000, oursEntry: join(REPO, "bin", "host", "main.js") };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${a} needs a value`);
            return v;
        };
        if (a === "--reps") opts.reps = Number(value());
        else if (a === "--component") opts.component = value().replace(/^rampart:index:/, "");
        else if (a === "--timeout") opts.timeoutMs = Number(value()) * 1000;
        else if (a === "--ours-entry") opts.oursEntry = resolve(value());
        else if (a === "--preview") opts.preview = true;
        else if (a === "--verbose" || a === "-v") opts.verbose = true;
        else if (a === "--help" || a === "-h") {
            console.log("usage: node tests/bench/startup.mts [--reps N] [--component ZeroTrustIdentity|ServicePlatform] [--preview] [--timeout SECONDS] [--ours-entry FILE] [--verbose]");
            process.exit(0);
        } else throw new Error(`unknown argument ${a}`);
    }
    if (!Number.isInteger(opts.reps) || opts.reps < 1) throw new Error("--reps must be a positive integer");
    if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) throw new Error("--timeout must be a positive number of seconds");
    if (!COMPONENT_INPUTS[opts.component]) throw new Error(`--component must be one of ${Object.keys(COMPONENT_INPUTS).join(", ")}`);
    return opts;
}

// ---------------------------------------------------------------------------------------------------------
// Mock engine and resource monitor (one gRPC server serves both services)

const PROJECT = "bench";
const STACK = "bench";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;

interface Registration {
    type: string;
    name: string;
    urn: string;
    custom: boolean;
}

/** What the provider process under test did to the mock engine; reset before each process. */
class EngineLog {
    registrations: Registration[] = [];
    outputsRegistered = 0;
    invokes: string[] = [];
    features = new Set<string>();
    messages: string[] = [];
    unimplemented = new Set<string>();
    reset(): void {
        this.registrations = [];
        this.outputsRegistered = 0;
        this.invokes = [];
        this.features = new Set();
        this.messages = [];
        this.unimplemented = new Set();
    }
}

const SEVERITY = ["debug", "info", "warning", "error"];

/** `urn:pulumi:stack::project::<parent type$>type::name`, as the engine builds it. */
function childUrn(type: string, name: string, parentUrn: string): string {
    let qualifiedType = type;
    if (parentUrn) {
        const parentType = parentUrn.split("::")[2] ?? "";
        if (parentType && parentType !== "pulumi:pulumi:Stack") qualifiedType = `${parentType}$${type}`;
    }
    return `urn:pulumi:${STACK}::${PROJECT}::${qualifiedType}::${name}`;
}

type Callback = (err: unknown, resp?: unknown) => void;
type Call = { request: any };

function unimplemented(log: EngineLog, service: Record<string, { path: string }>, implemented: Record<string, unknown>): Record<string, unknown> {
    const handlers: Record<string, unknown> = {};
    for (const [method, def] of Object.entries(service)) {
        handlers[method] =
            implemented[method] ??
            ((_call: Call, callback: Callback) => {
                log.unimplemented.add(def.path);
                callback({ code: grpc.status.UNIMPLEMENTED, details: `mock engine does not implement ${def.path}` });
            });
    }
    return handlers;
}

async function startMockEngine(log: EngineLog, preview: boolean): Promise<{ address: string; stop: () => Promise<void> }> {
    const monitor = {
        supportsFeature(call: Call, callback: Callback) {
            log.features.add(call.request.getId());
            callback(null, new resourcePb.SupportsFeatureResponse().setHassupport(true));
        },
        registerResource(call: Call, callback: Callback) {
            const req = call.request;
            const type: string = req.getType();
            const name: string = req.getName();
            const urn = childUrn(type, name, req.getParent());
            const custom: boolean = req.getCustom();
            log.registrations.push({ type, name, urn, custom });
            const resp = new resourcePb.RegisterResourceResponse();
            resp.setUrn(urn);
            if (custom) resp.setId(preview ? "" : `${name}-id`);
            resp.setObject(req.getObject() ?? Struct.fromJavaScript({}));
            callback(null, resp);
        },
        registerResourceOutputs(_call: Call, callback: Callback) {
            log.outputsRegistered++;
            callback(null, new Empty());
        },
        invoke(call: Call, callback: Callback) {
            log.invokes.push(call.request.getTok());
            const result = { region: "us-east-1", name: "us-east-1", id: "us-east-1", accountId: "123456789012", partition: "aws", dnsSuffix: "amazonaws.com" };
            callback(null, new resourcePb.ResourceInvokeResponse().setReturn(Struct.fromJavaScript(result)));
        },
        registerPackage(call: Call, callback: Callback) {
            callback(null, new resourcePb.RegisterPackageResponse().setRef(`bench-ref-${call.request.getName()}`));
        },
    };
    let rootUrn = STACK_URN;
    const engine = {
        log(call: Call, callback: Callback) {
            const req = call.request;
            log.messages.push(`[${SEVERITY[req.getSeverity()] ?? req.getSeverity()}] ${req.getUrn() ? `${req.getUrn()}: ` : ""}${req.getMessage()}`);
            callback(null, new Empty());
        },
        getRootResource(_call: Call, callback: Callback) {
            callback(null, new enginePb.GetRootResourceResponse().setUrn(rootUrn));
        },
        setRootResource(call: Call, callback: Callback) {
            rootUrn = call.request.getUrn();
            callback(null, new enginePb.SetRootResourceResponse());
        },
    };
    const server = new grpc.Server();
    server.addService(resourceGrpc.ResourceMonitorService, unimplemented(log, resourceGrpc.ResourceMonitorService, monitor));
    server.addService(engineGrpc.EngineService, unimplemented(log, engineGrpc.EngineService, engine));
    const port: number = await new Promise((ok, fail) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? fail(err) : ok(p))),
    );
    return {
        address: `127.0.0.1:${port}`,
        stop: () => new Promise<void>((ok) => server.tryShutdown(() => ok())),
    };
}

// ---------------------------------------------------------------------------------------------------------
// Plugin processes

const children = new Set<ChildProcess>();

function killChild(child: ChildProcess): Promise<void> {
    return new Promise((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) {
            children.delete(child);
            ok();
            return;
        }
        child.once("exit", () => {
            children.delete(child);
            ok();
        });
        child.kill("SIGKILL");
    });
}

function killAllSync(): void {
    for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
            try {
                child.kill("SIGKILL");
            } catch {
                // already gone
            }
        }
    }
}
process.on("exit", killAllSync);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
        killAllSync();
        process.exit(130);
    });
}

interface Host {
    label: string;
    entry: string;
}

interface Sample {
    start: number; // spawn → port printed
    schema: number; // spawn → GetSchema response
    construct: number; // spawn → first Construct response
    schemaText: string;
    constructUrn: string;
    registrations: Registration[];
    outputsRegistered: number;
    invokes: number;
    unimplemented: string[];
}

class HostFailure extends Error {}

function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
        promise,
        new Promise<T>((_, fail) => {
            timer = setTimeout(() => fail(new HostFailure(`${what} timed out after ${ms / 1000} s`)), ms);
        }),
    ]).finally(() => clearTimeout(timer));
}

function unary<T>(client: any, method: string, request: unknown, deadlineMs: number): Promise<T> {
    return new Promise((ok, fail) => {
        client[method](request, { deadline: Date.now() + deadlineMs }, (err: any, resp: T) => {
            if (err) fail(new HostFailure(`${method} failed: ${err.details ?? err.message ?? err}`));
            else ok(resp);
        });
    });
}

async function runOnce(host: Host, engineAddress: string, log: EngineLog, opts: Options): Promise<Sample> {
    log.reset();
    const stderr: string[] = [];
    const t0 = performance.now();
    const child = spawn(process.execPath, [host.entry, engineAddress], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let client: any;
    try {
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (d: string) => stderr.push(d));
        const exited = new Promise<never>((_, fail) => {
            child.once("error", (err) => fail(new HostFailure(`could not start: ${err.message}`)));
            child.once("exit", (code, signal) => fail(new HostFailure(`exited early (code ${code}, signal ${signal})`)));
        });
        exited.catch(() => undefined); // observed through the races below

        // 1. process start: the first stdout line is the port.
        const portLine = new Promise<string>((ok) => {
            let buffered = "";
            child.stdout!.setEncoding("utf8");
            child.stdout!.on("data", function onData(d: string) {
                buffered += d;
                const nl = buffered.indexOf("\n");
                if (nl >= 0) {
                    child.stdout!.off("data", onData);
                    child.stdout!.resume(); // keep draining later output
                    ok(buffered.slice(0, nl).trim());
                }
            });
        });
        const line = await withTimeout("waiting for the port", opts.timeoutMs, Promise.race([portLine, exited]));
        const start = performance.now() - t0;
        const port = Number(line);
        if (!Number.isInteger(port) || port <= 0) throw new HostFailure(`first stdout line is not a port: ${JSON.stringify(line)}`);

        // 2. GetSchema.
        client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const schemaResp: any = await Promise.race([
            unary(client, "getSchema", new providerPb.GetSchemaRequest().setVersion(0), opts.timeoutMs),
            exited,
        ]);
        const schema = performance.now() - t0;

        // 3. Configure (as the engine does before using a provider), then Construct.
        const configure = new providerPb.ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true);
        configure.setArgs(Struct.fromJavaScript({}));
        await Promise.race([unary(client, "configure", configure, opts.timeoutMs), exited]);

        const req = new providerPb.ConstructRequest();
        req.setProject(PROJECT);
        req.setStack(STACK);
        req.setOrganization("organization");
        req.setDryrun(opts.preview);
        req.setParallel(16);
        req.setMonitorendpoint(engineAddress);
        req.setType(`rampart:index:${opts.component}`);
        req.setName("bench");
        req.setParent(STACK_URN);
        req.setInputs(Struct.fromJavaScript(COMPONENT_INPUTS[opts.component] as any));
        req.setAcceptsOutputValues(true);
        req.getConfigMap().set("aws:region", "us-east-1");
        req.setConfigsecretkeysList([]);
        const constructResp: any = await Promise.race([unary(client, "construct", req, opts.timeoutMs), exited]);
        const construct = performance.now() - t0;

        return {
            start,
            schema,
            construct,
            schemaText: schemaResp.getSchema(),
            constructUrn: constructResp.getUrn(),
            registrations: [...log.registrations],
            outputsRegistered: log.outputsRegistered,
            invokes: log.invokes.length,
            unimplemented: [...log.unimplemented],
        };
    } catch (err) {
        const detail = [
            stderr.length ? `stderr:\n${stderr.join("").trimEnd()}` : "",
            log.messages.length ? `engine log:\n${log.messages.join("\n")}` : "",
        ]
            .filter(Boolean)
            .join("\n");
        throw new HostFailure(`${host.label} host (${host.entry}): ${(err as Error).message}${detail ? `\n${detail}` : ""}`);
    } finally {
        client?.close();
        await killChild(child);
        if (opts.verbose && log.messages.length) console.log(`  ${host.label} engine log:\n    ${log.messages.join("\n    ")}`);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Schema check: the stock host analyses the sources at run time; its resources must be schema.json's.

function compareResources(label: string, served: string, committed: Record<string, any>): string[] {
    const resources = (JSON.parse(served).resources ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const want = Object.keys(committed.resources).sort();
    const got = Object.keys(resources).sort();
    if (!isDeepStrictEqual(want, got)) problems.push(`${label} serves resources ${got.join(", ")}; schema.json has ${want.join(", ")}`);
    for (const token of want.filter((t) => t in resources)) {
        if (!isDeepStrictEqual(sortDeep(resources[token]), sortDeep(committed.resources[token]))) {
            problems.push(`${label}: ${token} differs from schema.json`);
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Report

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const secs = (ms: number, digits = 2): string => (ms / 1000).toFixed(digits);
const fmt = (xs: number[]): string => `${secs(median(xs))} s (${secs(Math.min(...xs))}–${secs(Math.max(...xs))})`;

function countsSummary(samples: Sample[], pick: (s: Sample) => number): string {
    const values = [...new Set(samples.map(pick))];
    return values.length === 1 ? String(values[0]) : `${values.join("/")} (varied across reps)`;
}

async function main(): Promise<number> {
    const opts = parseOptions(process.argv.slice(2));
    const hosts: Host[] = [
        { label: "stock", entry: join(REPO, "tests", "bench", "stock-host.cjs") },
        { label: "ours", entry: opts.oursEntry },
    ];
    for (const f of [join(REPO, "bin", "index.js"), opts.oursEntry]) {
        if (!existsSync(f)) throw new HostFailure(`${f} is missing; run \`npm run build\` first`);
    }
    const schemaJsonText = readFileSync(join(REPO, "schema.json"), "utf8");
    const committed = JSON.parse(schemaJsonText);

    const log = new EngineLog();
    const engine = await startMockEngine(log, opts.preview);
    const samples: Record<string, Sample[]> = { stock: [], ours: [] };
    console.log(
        `start-up benchmark: ${opts.reps} rep(s), Construct rampart:index:${opts.component} ${JSON.stringify(COMPONENT_INPUTS[opts.component])}` +
            ` (${opts.preview ? "preview" : "update"}), node ${process.version}, mock engine at ${engine.address}`,
    );
    try {
        for (let rep = 1; rep <= opts.reps; rep++) {
            // Alternate which host goes first so neither always runs on a warmer machine.
            const order = rep % 2 ? hosts : [...hosts].reverse();
            for (const host of order) {
                const s = await runOnce(host, engine.address, log, opts);
                if (host.label === "ours" && s.schemaText !== schemaJsonText) throw new HostFailure("ours: GetSchema did not return schema.json verbatim");
                const problems = compareResources(host.label, s.schemaText, committed);
                if (problems.length) throw new HostFailure(problems.join("\n"));
                samples[host.label].push(s);
                console.log(
                    `  rep ${rep} ${host.label.padEnd(5)}  port ${secs(s.start)} s  schema ${secs(s.schema)} s  construct ${secs(s.construct)} s` +
                        `  (${s.registrations.length} RegisterResource)`,
                );
            }
        }
    } finally {
        await engine.stop();
    }

    const stock = samples.stock;
    const ours = samples.ours;
    const phases: [string, (s: Sample) => number, boolean][] = [
        ["process start (spawn → port)", (s) => s.start, false],
        ["time-to-schema (spawn → GetSchema)", (s) => s.schema, true],
        ["first Construct (spawn → done)", (s) => s.construct, true],
    ];
    const rows = phases.map(([name, pick, ratio]) => {
        const a = stock.map(pick);
        const b = ours.map(pick);
        return [name, fmt(a), fmt(b), ratio ? `${(median(a) / median(b)).toFixed(1)}x` : ""];
    });
    const header = ["phase (median, min–max)", "stock", "ours", "stock/ours"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    console.log("");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows) console.log(line(r));
    console.log("");

    const first = ours[0];
    console.log(`Construct ${opts.component} → ${first.constructUrn}`);
    console.log(
        `RegisterResource calls per construct: stock ${countsSummary(stock, (s) => s.registrations.length)}, ours ${countsSummary(ours, (s) => s.registrations.length)}` +
            `; RegisterResourceOutputs: stock ${countsSummary(stock, (s) => s.outputsRegistered)}, ours ${countsSummary(ours, (s) => s.outputsRegistered)}` +
            `; Invoke: stock ${countsSummary(stock, (s) => s.invokes)}, ours ${countsSummary(ours, (s) => s.invokes)}`,
    );
    if (opts.verbose) {
        for (const r of first.registrations) console.log(`  ${r.custom ? "custom   " : "component"} ${r.urn}`);
        const unimpl = [...new Set([...stock, ...ours].flatMap((s) => s.unimplemented))];
        if (unimpl.length) console.log(`  mock engine answered UNIMPLEMENTED to: ${unimpl.join(", ")}`);
    }
    console.log(`stock GetSchema resources match schema.json (${Object.keys(committed.resources).length} resources, all reps)`);
    const ms = (xs: Sample[], pick: (s: Sample) => number) => median(xs.map(pick));
    const schemaRatio = ms(stock, (s) => s.schema) / ms(ours, (s) => s.schema);
    const constructRatio = ms(stock, (s) => s.construct) / ms(ours, (s) => s.construct);
    console.log(
        `startup: ours ${secs(ms(ours, (s) => s.schema))} s to schema, stock ${secs(ms(stock, (s) => s.schema), 1)} s; ratio ${schemaRatio.toFixed(1)}x` +
            ` (first construct: ours ${secs(ms(ours, (s) => s.construct))} s, stock ${secs(ms(stock, (s) => s.construct), 1)} s; ratio ${constructRatio.toFixed(1)}x)`,
    );
    return 0;
}

main().then(
    (code) => {
        killAllSync();
        process.exit(code);
    },
    (err) => {
        killAllSync();
        console.error(`startup benchmark failed: ${err instanceof HostFailure ? err.message : (err as Error).stack ?? err}`);
        process.exit(1);
    },
);
