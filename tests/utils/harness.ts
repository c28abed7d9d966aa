/**
 * Resource-recording test harness on top of `pulumi.runtime.setMocks` (the project's own
 * "pulumi-test-utils"). It records every resource registered while a program runs: type, name,
 * URN, parent, inputs (with the paths that were secret), and options. Queries find resources by
 * type, name and parent; `resolve` reads an Output's value.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks.js";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc.js";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";

export interface RecordedOptions {
    /** The registration's `protect`, or undefined when it sets none (the engine then inherits the parent's). */
    protect: boolean | undefined;
    /** The registration's `retainOnDelete`, or undefined when it sets none (the engine then inherits the parent's). */
    retainOnDelete: boolean | undefined;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    aliases: string[];
    dependencies: string[];
    provider: string;
    additionalSecretOutputs: string[];
}

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent resource ("" for resources parented to the stack). */
    parentUrn: string;
    custom: boolean;
    /** Inputs with secrets unwrapped; `secretPaths` says which were secret. */
    inputs: Record<string, any>;
    /** Dotted paths of inputs that were marked secret (for example `secretString`). */
    secretPaths: string[];
    /** Dotted paths of inputs that were unknown (preview). */
    unknownPaths: string[];
    options: RecordedOptions;
    /** The state the mock returned (inputs plus computed ids/ARNs). */
    state: Record<string, any>;
}

export interface HarnessOptions {
    project?: string;
    stack?: string;
    /** Run as `pulumi preview` (unknown outputs) rather than `pulumi up`. Default: false. */
    preview?: boolean;
    /** Extra computed state for a resource, merged over the default state. */
    computeState?: (args: pulumi.runtime.MockResourceArgs) => Record<string, any> | undefined;
}

/** Computed outputs a real provider would return, so components can read ids, ARNs and names. */
export function defaultState(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
    const [pkg, modulePath] = args.type.split(":");
    const service = (modulePath ?? "").split("/")[0];
    const name = args.inputs.name ?? args.inputs.bucket ?? args.inputs.functionName ?? `${args.name}-physical`;
    const state: Record<string, any> = { ...args.inputs };
    if (pkg === "aws") {
        state.id ??= `${args.name}-id`;
        state.name ??= name;
        state.arn ??= realArn(args.type, args.inputs, name) ?? `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${service}/${name}`;
    }
    return state;
}

/** ARNs in the formats AWS returns, for the types whose ARN a component passes on (to IAM, to Step Functions). */
function realArn(type: string, inputs: Record<string, any>, name: string): string | undefined {
    const last = (v: unknown) => String(v ?? "").split("/").pop();
    switch (type) {
        case "aws:ecs/cluster:Cluster":
            return `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/${name}`;
        case "aws:ecs/service:Service":
            return `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${last(inputs.cluster) || "default"}/${name}`;
        case "aws:sfn/stateMachine:StateMachine":
            return `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:${name}`;
        case "aws:cloudwatch/eventRule:EventRule":
            return `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${name}`;
        // IAM is global: no Region in its ARNs (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
        case "aws:iam/role:Role":
            return `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
        default:
            return undefined;
    }
}

let current: ResourceRecorder | undefined;

export class ResourceRecorder {
    readonly resources: RecordedResource[] = [];
    readonly options: HarnessOptions;
    private readonly pending = new Set<Promise<unknown>>();

    private constructor(options: HarnessOptions) {
        this.options = options;
    }

    /** Installs mocks that record into a new recorder; later registrations go to it. */
    static async start(options: HarnessOptions = {}): Promise<ResourceRecorder> {
        const recorder = new ResourceRecorder(options);
        current = recorder;
        installMonitorHook();
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    const extra = options.computeState?.(args) ?? {};
                    const state = { ...defaultState(args), ...extra };
                    return { id: args.custom ? state.id ?? `${args.name}-id` : undefined, state };
                },
                call: (args) => mockCall(args),
            },
            options.project ?? "rampart-test",
            options.stack ?? "test",
            options.preview ?? false,
        );
        return recorder;
    }

    /** @internal called from the monitor hook */
    record(resource: RecordedResource, done: Promise<unknown>): void {
        this.resources.push(resource);
        this.pending.add(done);
        done.finally(() => this.pending.delete(done));
    }

    /** Waits until every registration so far, and those they trigger, has been handled. */
    async settle(): Promise<void> {
        for (let i = 0; i < 50; i++) {
            await new Promise((r) => setTimeout(r, 5));
            if (this.pending.size === 0) {
                await new Promise((r) => setTimeout(r, 5));
                if (this.pending.size === 0) return;
            }
            await Promise.allSettled([...this.pending]);
        }
    }

    byType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** Exactly one resource of the type (and name, when given); fails listing what exists otherwise. */
    one(type: string, name?: string): RecordedResource {
        const found = this.byType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            const all = this.byType(type).map((r) => r.name);
            throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (${type} names: ${all.join(", ") || "none"})`);
        }
        return found[0];
    }

    byUrn(urn: string): RecordedResource | undefined {
        return this.resources.find((r) => r.urn === urn);
    }

    children(parent: RecordedResource | string): RecordedResource[] {
        const urn = typeof parent === "string" ? parent : parent.urn;
        return this.resources.filter((r) => r.parentUrn === urn);
    }

    /** Every resource below the parent, at any depth. */
    descendants(parent: RecordedResource | string): RecordedResource[] {
        const out: RecordedResource[] = [];
        const queue = [...this.children(parent)];
        while (queue.length) {
            const r = queue.shift()!;
            out.push(r);
            queue.push(...this.children(r));
        }
        return out;
    }

    types(): string[] {
        return [...new Set(this.resources.map((r) => r.type))].sort();
    }
}

/** The value of an Output (under mocks with preview=false every value is known). */
export function resolve<T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> {
    if (output === undefined) return Promise.resolve(undefined);
    return new Promise((res) => pulumi.output(output).apply((v) => res(v as T)));
}

/** Whether an Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
    return pulumi.isSecret(output);
}

/** Runs `fn` under a fresh recorder and returns its result with the recorder once all registrations settled. */
export async function record<T>(fn: () => T, options: HarnessOptions = {}): Promise<{ result: T; recorder: ResourceRecorder }> {
    const recorder = await ResourceRecorder.start(options);
    const result = fn();
    await recorder.settle();
    return { result, recorder };
}

/**
 * The mocked account's OIDC providers (issuer host -> client ids), as the README's bootstrap leaves it: GitHub's
 * provider for sts.amazonaws.com and Pulumi Cloud's for the organization "acme" (the one the unit tests use).
 */
export const BOOTSTRAPPED_OIDC_PROVIDERS: Readonly<Record<string, string[]>> = { "token.actions.githubusercontent.com": ["sts.amazonaws.com"], "api.pulumi.com/oidc": ["acme"] };
let accountOidcProviders: Record<string, string[]> = { ...BOOTSTRAPPED_OIDC_PROVIDERS };

/** Sets the mocked account's OIDC providers (for example `{}`: a brand-new account); returns a function that restores them. */
export function setAccountOidcProviders(providers: Record<string, string[]>): () => void {
    const before = accountOidcProviders;
    accountOidcProviders = { ...providers };
    return () => {
        accountOidcProviders = before;
    };
}

/** Policy stores and user pools already in the mocked account (what an adopting component looks up). Default: none. */
export interface AccountAdoptables {
    policyStores: string[];
    userPools: { id: string; name: string }[];
    /** RDS DB instance identifiers (DescribeDBInstances). Default: none. */
    dbInstances?: string[];
    /** Secrets Manager secrets by ARN, with their current string value (what getSecretVersion reads). */
    secrets?: Record<string, string>;
}
let accountAdoptables: AccountAdoptables = { policyStores: [], userPools: [] };

/** Sets the mocked account's policy stores and user pools; returns a function that restores them. */
export function setAccountAdoptables(adoptables: Partial<AccountAdoptables>): () => void {
    const before = accountAdoptables;
    accountAdoptables = { policyStores: [], userPools: [], ...adoptables };
    return () => {
        accountAdoptables = before;
    };
}

function mockCall(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    switch (args.token) {
        case "aws:verifiedpermissions/getPolicyStore:getPolicyStore": {
            const id = String(args.inputs.id);
            if (!accountAdoptables.policyStores.includes(id)) throw new Error(`ResourceNotFoundException: policy store ${id} not found`);
            return { id, arn: `arn:aws:verifiedpermissions::${ACCOUNT_ID}:policy-store/${id}` };
        }
        case "aws:cognito/getUserPool:getUserPool": {
            const pool = accountAdoptables.userPools.find((p) => p.id === args.inputs.userPoolId);
            if (!pool) throw new Error(`ResourceNotFoundException: User pool ${args.inputs.userPoolId} does not exist.`);
            return { id: pool.id, userPoolId: pool.id, name: pool.name, arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${pool.id}` };
        }
        case "aws:secretsmanager/getSecretVersion:getSecretVersion": {
            const id = String(args.inputs.secretId);
            const value = accountAdoptables.secrets?.[id];
            if (value === undefined) throw new Error(`ResourceNotFoundException: Secrets Manager can't find the specified secret (${id})`);
            return { id: `${id}|AWSCURRENT`, arn: id, secretId: id, secretString: value, versionId: "v1", versionStages: ["AWSCURRENT"] };
        }
        case "aws:cognito/getUserPools:getUserPools": {
            // Empty lists when none matches, as the Terraform data source answers.
            const pools = accountAdoptables.userPools.filter((p) => p.name === args.inputs.name);
            return { id: args.inputs.name, ids: pools.map((p) => p.id), arns: pools.map((p) => `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${p.id}`) };
        }
        case "aws:index/getRegion:getRegion":
            return { name: REGION, region: REGION, id: REGION };
        case "aws:rds/getInstances:getInstances": {
            const wanted: string[] = (args.inputs.filters ?? []).flatMap((f: any) => (f.name === "db-instance-id" ? f.values : []));
            const ids = (accountAdoptables.dbInstances ?? []).filter((id) => wanted.length === 0 || wanted.includes(id));
            return { id: REGION, instanceIdentifiers: ids, instanceArns: ids.map((id) => `arn:aws:rds:${REGION}:${ACCOUNT_ID}:db:${id}`) };
        }
        case "aws:ec2/getVpc:getVpc":
            return { id: args.inputs.id, cidrBlock: "10.0.0.0/16" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "AIDATEST", id: ACCOUNT_ID };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: ["a", "b", "c", "d", "e", "f"].map((s) => `${REGION}${s}`), zoneIds: ["1", "2", "3", "4", "5", "6"].map((s) => `use1-az${s}`), id: REGION };
        case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": {
            const host = String(args.inputs.url ?? "").replace(/^https:\/\//, "");
            const clients = accountOidcProviders;
            if (!clients[host]) throw new Error(`reading IAM OIDC Provider (${args.inputs.url}): empty result`);
            const arn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${host}`;
            return { id: arn, arn, url: host, clientIdLists: clients[host], thumbprintLists: [], tags: {} };
        }
        default:
            return {};
    }
}

let hooked = false;

/** Wraps MockMonitor.registerResource once to capture parent and options from the raw request. */
function installMonitorHook(): void {
    if (hooked) return;
    hooked = true;
    const original = MockMonitor.prototype.registerResource;
    MockMonitor.prototype.registerResource = function (this: MockMonitor, req: any, callback: (err: any, resp: any) => void) {
        const recorder = current;
        let resolveDone!: () => void;
        const done = new Promise<void>((r) => (resolveDone = r));
        const wrapped = (err: any, resp: any) => {
            if (recorder && !err && resp) {
                const raw = req.getObject()?.toJavaScript() ?? {};
                const { value, secretPaths, unknownPaths } = unwrap(raw, "");
                const urn = resp.getUrn();
                recorder.record(
                    {
                        type: req.getType(),
                        name: req.getName(),
                        urn,
                        parentUrn: req.getParent(),
                        custom: req.getCustom(),
                        inputs: value,
                        secretPaths,
                        unknownPaths,
                        options: {
                            protect: req.hasProtect() ? req.getProtect() : undefined,
                            retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
                            deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
                            ignoreChanges: req.getIgnorechangesList?.() ?? [],
                            aliases: (req.getAliasesList?.() ?? []).map(describeAlias),
                            dependencies: req.getDependenciesList?.() ?? [],
                            provider: req.getProvider?.() ?? "",
                            additionalSecretOutputs: req.getAdditionalsecretoutputsList?.() ?? [],
                        },
                        state: resp.getObject()?.toJavaScript() ?? {},
                    },
                    done,
                );
            }
            callback(err, resp);
            resolveDone();
        };
        return original.call(this, req, wrapped);
    };
}

function describeAlias(alias: any): string {
    if (typeof alias === "string") return alias;
    if (alias.getUrn?.()) return alias.getUrn();
    const spec = alias.getSpec?.();
    if (spec) return `type=${spec.getType?.() ?? ""} name=${spec.getName?.() ?? ""}`;
    return String(alias);
}

function unwrap(value: any, path: string): { value: any; secretPaths: string[]; unknownPaths: string[] } {
    const secretPaths: string[] = [];
    const unknownPaths: string[] = [];
    const walk = (v: any, p: string): any => {
        if (v === unknownValue) {
            unknownPaths.push(p);
            return undefined;
        }
        if (Array.isArray(v)) return v.map((item, i) => walk(item, `${p}[${i}]`));
        if (v && typeof v === "object") {
            if (v[specialSigKey] === specialSecretSig) {
                secretPaths.push(p);
                return walk(v.value, p);
            }
            return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, p ? `${p}.${k}` : k)]));
        }
        return v;
    };
    return { value: walk(value, path), secretPaths, unknownPaths };
}

/**
 * Runs `run` with the process's unhandled rejections collected into the array it is given instead of reported: the
 * Pulumi runtime reports a resource input that fails after construction (a check on a resolved Output, a preview
 * look-up) as the failed registration's cause, an unhandled rejection in tests. The listeners are restored after.
 */
export async function withRejectionsCollected<T, E = unknown>(run: (rejections: E[]) => Promise<T>): Promise<T> {
    const rejections: E[] = [];
    const listeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const collect = (reason: unknown) => rejections.push(reason as E);
    process.on("unhandledRejection", collect);
    try {
        return await run(rejections);
    } finally {
        process.off("unhandledRejection", collect);
        for (const listener of listeners) process.on("unhandledRejection", listener);
    }
}
