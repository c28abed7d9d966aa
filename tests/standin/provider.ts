/**
 * OFFLINE STAND-IN resource provider for tests. It impersonates the `aws`, `tls` or `random` Pulumi
 * provider plugin so that the real Pulumi engine can run `pulumi preview` / `up` / `destroy` end to
 * end on a machine that reaches neither AWS nor the plugin downloads. It is NOT part of the
 * published package and is put on the plugin path only by the offline test scripts.
 *
 * What it does: Check (inputs as given, schema defaults, Pulumi-style autonaming, cheap
 * validation), an honest Diff (every input compared with the old state; replace-on-change
 * properties per type), Create (deterministic id; outputs = inputs + computed outputs), Read
 * (stored state), Update (same id, outputs recomputed), Delete (no-op), and the data sources
 * the components call. tls keys and certificates are real (node:crypto) and verifiable.
 *
 * What it does NOT model (a green run here says nothing about these):
 *  - no cloud calls at all: nothing is created, so nothing can fail the way AWS fails;
 *  - input validation is minimal (name lengths, S3 bucket names, CIDR syntax, tls algorithms, curves
 *    and allowed uses, random lengths); values AWS would reject (bad ARNs, unknown instance classes,
 *    malformed policies, incompatible settings) are accepted;
 *  - no IAM evaluation: policies and trust relationships are stored, never evaluated, so missing
 *    permissions or wrong principals go unnoticed;
 *  - no eventual consistency, asynchronous provisioning, waiters, timeouts, throttling or retries;
 *  - no quotas or limits, no name collisions between resources, no referential integrity (a
 *    subnet's vpcId need not exist), no dependency-violation errors on delete;
 *  - no drift: Read returns the stored state, so refresh never finds changes, and `get`/import of a
 *    resource this stand-in did not create returns only its id;
 *  - replace-on-change properties come from a hand-kept table for the types components use; other
 *    aws types replace only on `name`/`namePrefix`/`region`; tls and random replace on any change;
 *  - only the computed outputs listed in aws.ts exist; ids are derived from the URN and inputs, not
 *    unique across accounts; ECS task definition revisions are derived from a hash, not counted;
 *  - ACM certificates stay PENDING_VALIDATION and CertificateValidation succeeds without any DNS;
 *    endpoints (RDS, ElastiCache, load balancers, CloudFront) resolve nowhere;
 *  - `aws:defaultTags` is merged into tagsAll; `ignoreTags`, assume-role, profiles and endpoints
 *    config are accepted and ignored; the account is always 123456789012;
 *  - tls: readyForRenewal is always false (no early renewal); random: values are derived from the
 *    URN and inputs (stable, random-looking, NOT secret-grade), RandomPassword has no bcryptHash;
 *  - the stock `@pulumi/pulumi/provider` server answers Configure without preview support, so a
 *    preview shows inputs only (no computed outputs), and CheckConfig/DiffConfig are unimplemented.
 */
import { readFileSync } from "fs";
import type { CheckResult, CreateResult, DiffResult, InvokeResult, Provider, ReadResult, UpdateResult } from "@pulumi/pulumi/provider";
import { awsModel } from "./aws";
import type { PackageModel, ResourceContext, StandInConfig, StandInPackage } from "./model";
import { randomModel } from "./random";
import { tlsModel } from "./tls";
import { clean, derefResources, equal, hasUnknown, isSecret, parseUrn, plain, type Props, secret } from "./values";

export type { StandInPackage } from "./model";

export const STAND_IN_PACKAGES: readonly StandInPackage[] = ["aws", "tls", "random"];

export function isStandInPackage(pkg: unknown): pkg is StandInPackage {
    return STAND_IN_PACKAGES.includes(pkg as StandInPackage);
}

const MODELS: Record<StandInPackage, PackageModel> = { aws: awsModel, tls: tlsModel, random: randomModel };

/** The version of the impersonated package's SDK installed in node_modules (the plugin the SDK asks for). */
export function sdkVersion(pkg: StandInPackage): string {
    const file = require.resolve(`@pulumi/${pkg}/package.json`);
    return JSON.parse(readFileSync(file, "utf8")).version as string;
}

export const banner = (pkg: StandInPackage) => `OFFLINE STAND-IN for the ${pkg} provider: no cloud calls are made`;

export class StandInProvider implements Provider {
    readonly version: string;
    private readonly model: PackageModel;
    private config: StandInConfig = { vars: {} };

    constructor(
        readonly pkg: StandInPackage,
        version?: string,
    ) {
        this.version = version ?? sdkVersion(pkg);
        this.model = MODELS[pkg];
    }

    async getSchema(): Promise<string> {
        return JSON.stringify({ name: this.pkg, version: this.version });
    }

    /**
     * Provider configuration. The stock server does not forward Configure to a `Provider`; main.ts
     * hooks it. Accepts anything; keys may be `aws:region` or `aws:config:region` or bare `region`.
     */
    configure(variables: Record<string, unknown>): void {
        const vars: Record<string, string> = {};
        for (const [key, value] of Object.entries(variables)) {
            if (value === undefined || value === null) continue;
            const bare = key.replace(/^[^:]+:(config:)?/, "");
            vars[`${this.pkg}:${bare}`] = typeof value === "string" ? value : JSON.stringify(plain(value));
        }
        this.config = { vars: { ...this.config.vars, ...vars } };
    }

    get configuration(): Readonly<Record<string, string>> {
        return this.config.vars;
    }

    private context(urn: string, inputs: Props): ResourceContext {
        const { type, name } = parseUrn(urn);
        return { urn, type, name, inputs, config: this.config };
    }

    async check(urn: string, olds: any, news: any): Promise<CheckResult> {
        const inputs: Props = derefResources(news ?? {});
        const ctx = this.context(urn, {});
        for (const [k, v] of Object.entries(this.model.defaults(ctx.type))) if (inputs[k] === undefined || inputs[k] === null) inputs[k] = v;
        const oldInputs = olds && Object.keys(olds).length ? plain(olds) : undefined;
        Object.assign(inputs, this.model.checkAdditions({ ...ctx, inputs: plain(inputs) }, oldInputs));
        // Validate only what is known (during preview some inputs are still unknown).
        const known = Object.fromEntries(Object.entries(plain(inputs)).filter(([, v]) => !hasUnknown(v)));
        const failures = this.model.validate({ ...ctx, inputs: known });
        return { inputs: clean(inputs), failures };
    }

    async diff(id: string, urn: string, olds: any, news: any): Promise<DiffResult> {
        const o: Props = plain(olds ?? {});
        const n: Props = plain(news ?? {});
        const ctx = this.context(urn, n);
        const computed = new Set(this.model.computedKeys({ ...ctx, inputs: o }, id, o));
        const changed: string[] = [];
        for (const key of new Set([...Object.keys(n), ...Object.keys(o)])) {
            const inNews = n[key] !== undefined && n[key] !== null;
            if (inNews) {
                // Secrets are compared by value: secretness alone is no change in the cloud.
                if (!equal(n[key], o[key])) changed.push(key);
            } else if (o[key] !== undefined && o[key] !== null && !computed.has(key)) {
                changed.push(key); // an input the program no longer sets
            }
        }
        const replaces = changed.filter((k) => this.model.forcesReplacement(ctx.type, k));
        return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    }

    async create(urn: string, inputs: any): Promise<CreateResult> {
        const raw: Props = inputs ?? {};
        const { id, outs } = this.model.create(this.context(urn, plain(raw)));
        return { id, outs: clean(merge(raw, outs)) };
    }

    async read(id: string, _urn: string, props?: any): Promise<ReadResult> {
        return { id, props: props ?? {} };
    }

    async update(id: string, urn: string, olds: any, news: any): Promise<UpdateResult> {
        const raw: Props = news ?? {};
        const outs = this.model.update(this.context(urn, plain(raw)), id, plain(olds ?? {}));
        return { outs: clean(merge(raw, outs, olds ?? {})) };
    }

    async delete(): Promise<void> {
        // Nothing exists in any cloud, so there is nothing to delete.
    }

    async invoke(token: string, inputs: any): Promise<InvokeResult> {
        return { outputs: clean(this.model.invoke(token, plain(inputs ?? {}), this.config)) };
    }
}

/** Inputs plus computed outputs; a value that was secret as an input or in the old state stays secret. */
function merge(inputs: Props, computed: Props, oldState: Props = {}): Props {
    const out: Props = { ...inputs };
    for (const [k, v] of Object.entries(computed)) {
        if (v === undefined) continue;
        const wasSecret = isSecret(inputs[k]) || isSecret(oldState[k]);
        out[k] = wasSecret && !isSecret(v) ? secret(v) : v;
    }
    return out;
}
