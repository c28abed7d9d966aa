// Start-up benchmark: the stock source-based component host (tests/bench/stock-host.cjs, which runs
// @pulumi/pulumi's TypeScript analyzer on the first GetSchema/Construct) against our plugin in its two
// shapes: the repository plugin (bin/host/main.js, the package's "main", loading compiled modules from
// node_modules) and the released plugin tarball (launcher + esbuild bundle, built by scripts/plugin.sh
// exactly as `npm run dist` builds it, packed with tar and unpacked into a temporary directory).
//
//   npm run build && node tests/bench/startup.mts [--reps N] [--component ZeroTrustIdentity|ServicePlatform|AuthorizerWithPolicyStore]
//       [--preview] [--timeout SECONDS] [--ours-entry FILE] [--tarball FILE] [--no-stock] [--verbose]
//
// Each repetition starts each host as a real plugin process (`node <entry> <engineAddress>`, or the
// tarball's `pulumi-resource-rampart <engineAddress>` launcher), the way the engine does, and times:
//   1. process start: spawn → the gRPC port printed on stdout,
//   2. time-to-schema: spawn → the GetSchema response,
//   3. first Construct: the Construct request alone, sent → answered. It is sent after the GetSchema and
//      Configure responses, with nothing in between, so it pays for loading the components (nothing
//      loads them earlier: the plugin starts loading them only when the Construct arrives),
//   4. spawn → first Construct answered (all of the above in one process).
// On Linux it also reads the plugin process's CPU time (user + system, /proc/<pid>/stat) at the GetSchema
// response and around the Construct request: on a busy machine wall times grow with the load, CPU times
// much less.
// Our plugin keeps V8's compiled code between runs (bin/host/main.ts) where Node keeps its module
// compile cache (in os.tmpdir() by default; here a directory of the benchmark's own, passed as
// NODE_COMPILE_CACHE). Before the repetitions each plugin runs once with an empty cache, reported as
// the cold start a first run after installing pays; the repetitions then run with the cache that run
// wrote. The stock host runs without a compile cache, as it ships.
// The Construct talks to a mock engine and resource monitor served by this script. It prints medians per
// phase, the stock/ours ratios and a one-line summary; it asserts no targets, but exits non-zero when a
// host fails (dies, errors, times out, serves a schema whose resources differ from schema.json, or
// registers other resources than the other hosts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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
    /** Entry point of the repository plugin (default bin/host/main.js); lets a candidate host build be compared. */
    oursEntry: string;
    /** A plugin tarball to unpack and run (default: build one with scripts/plugin.sh). */
    tarball?: string;
    stock: boolean;
}

const COMPONENT_INPUTS: Record<string, Record<string, unknown>> = {
    ZeroTrustIdentity: { stage: "bench" },
    ServicePlatform: { stage: "bench", services: [{ name: "api" }] },
    // Paths are relative to the plugin's working directory, the repository (cedar-wasm checks the policies).
    AuthorizerWithPolicyStore: {
        stage: "bench",
        accountAlias: "bench",
        policyStore: { schemaFile: "examples/authorizer-policies/schema.cedarschema.json", policyDir: "examples/authorizer-policies/policies" },
    },
};

function parseOptions(argv: string[]): Options {
    const opts: Options = { reps: 5, component: "ZeroTrustIdentity", preview: false, verbose: false, timeoutMs: 120_000, oursEntry: join(REPO, "bin", "host", "main.js"), stock: true };
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
        else if (a === "--tarball") opts.tarball = resolve(value());
        else if (a === "--no-stock") opts.stock = false;
        else if (a === "--preview") opts.preview = true;
        else if (a === "--verbose" || a === "-v") opts.verbose = true;
        else if (a === "--help" || a === "-h") {
            console.log("usage: node tests/bench/startup.mts [--reps N] [--component ZeroTrustIdentity|ServicePlatform|AuthorizerWithPolicyStore] [--preview] [--timeout SECONDS] [--ours-entry FILE] [--tarball FILE] [--no-stock] [--verbose]");
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
    /** What the engine would run: node with an entry file, or the tarball's launcher. */
    command: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    /** Serves schema.json verbatim (ours) rather than a schema analysed from the sources (stock). */
    servesCommittedSchema: boolean;
}

interface Sample {
    start: number; // spawn → port printed
    schema: number; // spawn → GetSchema response
    constructRequest: number; // Construct sent → Construct response
    constructCpu?: number; // CPU time the plugin process used during the Construct request (Linux only)
    schemaCpu?: number; // CPU time the plugin process used from its start to the GetSchema response (Linux only)
    construct: number; // spawn → first Construct response
    schemaText: string;
    constructUrn: string;
    registrations: Registration[];
    outputsRegistered: number;
    invokes: number;
    unimplemented: string[];
}

class HostFailure extends Error {}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process, from /proc (the launcher execs node, so the pid is the plugin's). */
function processCpuMs(pid: number | undefined): number | undefined {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    } catch {
        return undefined;
    }
}

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
    const child = spawn(host.command, [...host.args, engineAddress], { cwd: REPO, env: host.env, stdio: ["ignore", "pipe", "pipe"] });
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
        const schemaCpu = processCpuMs(child.pid);

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
        const cpuBefore = processCpuMs(child.pid);
        const constructSent = performance.now();
        const constructResp: any = await Promise.race([unary(client, "construct", req, opts.timeoutMs), exited]);
        const constructDone = performance.now();
        const cpuAfter = processCpuMs(child.pid);

        return {
            start,
            schema,
            constructRequest: constructDone - constructSent,
            schemaCpu,
            constructCpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
            construct: constructDone - t0,
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
        throw new HostFailure(`${host.label} host (${[host.command, ...host.args].join(" ")}): ${(err as Error).message}${detail ? `\n${detail}` : ""}`);
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

/** The plugin tarball, unpacked into a temporary directory: the given one, or one built like `npm run dist` builds it. */
function unpackTarball(opts: Options, scratch: string): string {
    const run = (command: string, args: string[]) => {
        const r = spawnSync(command, args, { cwd: REPO, encoding: "utf8" });
        if (r.status !== 0) throw new HostFailure(`${command} ${args.join(" ")} failed:\n${r.stderr || r.stdout || r.error}`);
    };
    let tarball = opts.tarball;
    if (!tarball) {
        const built = join(scratch, "build");
        run("bash", [join(REPO, "scripts", "plugin.sh"), built]);
        tarball = join(scratch, "pulumi-resource-rampart.tar.gz");
        run("tar", ["-C", built, "-czf", tarball, "."]);
    }
    const unpacked = join(scratch, "plugin");
    run("mkdir", ["-p", unpacked]);
    run("tar", ["-C", unpacked, "-xzf", tarball]);
    return join(unpacked, "pulumi-resource-rampart");
}

function buildHosts(opts: Options, scratch: string): { stock?: Host; ours: Host[] } {
    const { NODE_COMPILE_CACHE: _, ...inherited } = process.env;
    const withCache = { ...inherited, NODE_COMPILE_CACHE: join(scratch, "compile-cache") };
    // The launcher runs the first `node` on PATH: make that this benchmark's Node.
    const launcherEnv = { ...withCache, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };
    const launcher = unpackTarball(opts, scratch);
    return {
        stock: opts.stock
            ? { label: "stock", command: process.execPath, args: [join(REPO, "tests", "bench", "stock-host.cjs")], env: inherited, servesCommittedSchema: false }
            : undefined,
        ours: [
            { label: "repository", command: process.execPath, args: [opts.oursEntry], env: withCache, servesCommittedSchema: true },
            { label: "tarball", command: launcher, args: [], env: launcherEnv, servesCommittedSchema: true },
        ],
    };
}

async function main(): Promise<number> {
    const opts = parseOptions(process.argv.slice(2));
    for (const f of [join(REPO, "bin", "index.js"), opts.oursEntry]) {
        if (!existsSync(f)) throw new HostFailure(`${f} is missing; run \`npm run build\` first`);
    }
    const schemaJsonText = readFileSync(join(REPO, "schema.json"), "utf8");
    const committed = JSON.parse(schemaJsonText);
    const scratch = mkdtempSync(join(tmpdir(), "rampart-bench-startup-"));
    process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
    const { stock, ours } = buildHosts(opts, scratch);
    const hosts = stock ? [stock, ...ours] : ours;

    const log = new EngineLog();
    const engine = await startMockEngine(log, opts.preview);
    const samples = new Map<Host, Sample[]>(hosts.map((h) => [h, []]));
    const cold = new Map<Host, Sample>();
    const labelWidth = Math.max(...hosts.map((h) => h.label.length));
    let expected: { host: string; resources: string[] } | undefined;
    const measure = async (host: Host, what: string): Promise<Sample> => {
        const s = await runOnce(host, engine.address, log, opts);
        if (host.servesCommittedSchema && s.schemaText !== schemaJsonText) throw new HostFailure(`${host.label}: GetSchema did not return schema.json verbatim`);
        const problems = compareResources(host.label, s.schemaText, committed);
        if (problems.length) throw new HostFailure(problems.join("\n"));
        // Every host (and every run) must register the same resources: the bundle changes nothing the components do.
        const resources = s.registrations.map((r) => `${r.custom ? "custom" : "component"} ${r.urn}`).sort();
        expected ??= { host: host.label, resources };
        if (!isDeepStrictEqual(resources, expected.resources)) {
            throw new HostFailure(`${host.label} registered ${resources.length} resources, ${expected.host} ${expected.resources.length}; they differ:\n  ${resources.filter((r) => !expected!.resources.includes(r)).concat(expected.resources.filter((r) => !resources.includes(r)).map((r) => `missing: ${r}`)).join("\n  ")}`);
        }
        console.log(
            `  ${what.padEnd(10)} ${host.label.padEnd(labelWidth)}  port ${secs(s.start)} s  schema ${secs(s.schema)} s  construct request ${secs(s.constructRequest)} s${s.constructCpu !== undefined ? ` (cpu ${secs(s.constructCpu)} s)` : ""}` +
                `  (spawn → done ${secs(s.construct)} s, ${s.registrations.length} RegisterResource)`,
        );
        return s;
    };
    console.log(
        `start-up benchmark: ${opts.reps} rep(s), Construct rampart:index:${opts.component} ${JSON.stringify(COMPONENT_INPUTS[opts.component])}` +
            ` (${opts.preview ? "preview" : "update"}), node ${process.version}, mock engine at ${engine.address}`,
    );
    console.log(`  tarball plugin: ${ours[1].command}${opts.tarball ? ` (from ${opts.tarball})` : " (built by scripts/plugin.sh)"}`);
    try {
        for (const host of ours) cold.set(host, await measure(host, "cold cache"));
        for (let rep = 1; rep <= opts.reps; rep++) {
            // Rotate which host goes first so none always runs on a warmer machine.
            const order = hosts.map((_, i) => hosts[(i + rep) % hosts.length]);
            for (const host of order) samples.get(host)!.push(await measure(host, `rep ${rep}`));
        }
    } finally {
        await engine.stop();
    }

    const ms = (host: Host, pick: (s: Sample) => number) => median(samples.get(host)!.map(pick));
    const phases: [string, (s: Sample) => number, boolean][] = [
        ["process start (spawn → port)", (s) => s.start, false],
        ["time-to-schema (spawn → GetSchema)", (s) => s.schema, true],
        ["first Construct (request → response)", (s) => s.constructRequest, true],
        ["spawn → first Construct done", (s) => s.construct, true],
    ];
    if ([...samples.values()].flat().every((s) => s.constructCpu !== undefined && s.schemaCpu !== undefined)) {
        // CPU time does not grow with the machine's load as wall time does.
        phases.splice(2, 0, ["time-to-schema: plugin CPU time", (s) => s.schemaCpu!, true]);
        phases.splice(4, 0, ["first Construct: plugin CPU time", (s) => s.constructCpu!, true]);
    }
    const header = ["phase (median, min–max)", ...hosts.map((h) => h.label), ...(stock ? ours.map((h) => `stock/${h.label}`) : [])];
    const rows = phases.map(([name, pick, ratio]) => [
        name,
        ...hosts.map((h) => fmt(samples.get(h)!.map(pick))),
        ...(stock ? ours.map((h) => (ratio ? `${(ms(stock, pick) / ms(h, pick)).toFixed(1)}x` : "")) : []),
    ]);
    const coldRow = (name: string, pick: (s: Sample) => number | undefined) =>
        rows.push([name, ...hosts.map((h) => (cold.has(h) && pick(cold.get(h)!) !== undefined ? `${secs(pick(cold.get(h)!)!)} s` : "")), ...(stock ? ours.map(() => "") : [])]);
    coldRow("cold cache: time-to-schema", (s) => s.schema);
    coldRow("cold cache: first Construct (request)", (s) => s.constructRequest);
    coldRow("cold cache: first Construct CPU time", (s) => s.constructCpu);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
    console.log("");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows) console.log(line(r));
    console.log("");

    const first = samples.get(ours[0])![0];
    console.log(`Construct ${opts.component} → ${first.constructUrn}`);
    const counts = (what: string, pick: (s: Sample) => number) => `${what}: ${hosts.map((h) => `${h.label} ${countsSummary(samples.get(h)!, pick)}`).join(", ")}`;
    console.log(
        `${counts("RegisterResource calls per construct", (s) => s.registrations.length)}; ${counts("RegisterResourceOutputs", (s) => s.outputsRegistered)}; ${counts("Invoke", (s) => s.invokes)}`,
    );
    if (opts.verbose) {
        for (const r of first.registrations) console.log(`  ${r.custom ? "custom   " : "component"} ${r.urn}`);
        const unimpl = [...new Set([...samples.values()].flat().flatMap((s) => s.unimplemented))];
        if (unimpl.length) console.log(`  mock engine answered UNIMPLEMENTED to: ${unimpl.join(", ")}`);
    }
    if (stock) console.log(`stock GetSchema resources match schema.json (${Object.keys(committed.resources).length} resources, all reps)`);
    for (const host of ours) {
        const ratio = (pick: (s: Sample) => number) => (stock ? `; ratio ${(ms(stock, pick) / ms(host, pick)).toFixed(1)}x` : "");
        console.log(
            `startup (${host.label}): ${secs(ms(host, (s) => s.schema))} s to schema${stock ? `, stock ${secs(ms(stock, (s) => s.schema), 1)} s` : ""}${ratio((s) => s.schema)}` +
                ` (first Construct request: ${secs(ms(host, (s) => s.constructRequest))} s${stock ? `, stock ${secs(ms(stock, (s) => s.constructRequest), 1)} s` : ""}${ratio((s) => s.constructRequest)};` +
                ` spawn → construct done ${secs(ms(host, (s) => s.construct))} s${ratio((s) => s.construct)})`,
        );
    }
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
