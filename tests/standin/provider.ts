/**
 * OFFLINE STAND-IN resource provider for tests. It impersonates the `aws`, `tls` or `random` Pulumi
 * provider plugin so that the real Pulumi engine can run `pulumi preview` / `up` / `destroy` end to
 * end on a machine that reaches neither AWS nor the plugin downloads. It is NOT part of the
 * published package and is put on the plugin path only by the offline test scripts.
 *
 * What it does: Check (inputs as given, schema defaults, Pulumi-style autonaming recorded in
 * `__defaults` as the bridge does, the AWS rules the Terraform provider validates at plan time:
 * rules.ts), an honest Diff (every input compared with the old state; replace-on-change properties
 * from the Terraform AWS provider docs: replaceTable.ts; delete-first replacement of explicitly
 * named resources as pulumi-terraform-bridge decides it), Create and Update in a simulated AWS
 * account (account.ts: AWS's API-time rules, names unique in their scope and names a deleted
 * secret still reserves, uniqueness.ts; deterministic id; outputs = inputs + computed outputs),
 * Read (stored state plus drift the test hook recorded, an RDS instance's engineVersion kept or
 * moved as the Terraform provider does: rdsVersions.ts; gone once deleted from the account),
 * Delete (refused while a security group or target group is in use), preview of in-place updates
 * with the outputs they keep, and the data sources the components call. tls keys and certificates
 * are real (node:crypto) and verifiable.
 *
 * What it does NOT model (a green run here says nothing about these):
 *  - no cloud calls at all: nothing is created; AWS's failures are only those modelled here;
 *  - the rules cover the properties rampart sets (rules.ts); values outside them that AWS would
 *    reject (bad ARNs, unknown instance classes within the db.* shape, malformed policies,
 *    incompatible settings) are accepted;
 *  - no IAM evaluation: policies and trust relationships are stored, never evaluated, so missing
 *    permissions or wrong principals go unnoticed;
 *  - no eventual consistency, asynchronous provisioning, waiters, timeouts, throttling or retries;
 *  - quotas other than the 50-tag limit are not counted; referential integrity only where a rule
 *    reads another resource (subnets of a load balancer, the VPC of a subnet) and for the in-use
 *    refusals of security groups and target groups;
 *  - drift only through the test hook (account.ts: recordDrift, autoMinorUpgrade, rotateSecret);
 *    `get`/import of a resource this stand-in did not create returns only its id;
 *  - other aws types than those in replaceTable.ts replace only on `region`; tls and random replace
 *    on any change;
 *  - only the computed outputs listed in aws.ts exist; ids are derived from the URN and inputs;
 *    ECS task definition revisions are derived from a hash, not counted;
 *  - ACM certificates stay PENDING_VALIDATION and CertificateValidation succeeds without any DNS;
 *    endpoints (RDS, ElastiCache, load balancers, CloudFront) resolve nowhere;
 *  - `aws:defaultTags` is merged into tagsAll; `ignoreTags`, assume-role, profiles and endpoints
 *    config are accepted and ignored; every stack is in account 123456789012 (one account per
 *    state folder or RAMPART_STANDIN_ACCOUNTS file, split by region);
 *  - tls: readyForRenewal is always false (no early renewal); random: values are derived from the
 *    URN and inputs (stable, random-looking, NOT secret-grade), RandomPassword has no bcryptHash;
 *  - a preview shows a create's inputs only (computed outputs unknown, as the bridged providers
 *    plan them); CheckConfig/DiffConfig are unimplemented.
 */
import { createHash } from "crypto";
import { AsyncLocalStorage } from "async_hooks";
import { readFileSync } from "fs";
import { AccountStore, accountsFileFromEnv, factsOf, resourceKey } from "./account";
import type { CheckResult, CreateResult, DiffResult, InvokeResult, Provider, ReadResult, UpdateResult } from "@pulumi/pulumi/provider";
import { ACCOUNT_ID, awsModel, canonicalAwsType, configuredRegion, defaultTags } from "./aws";
import type { PackageModel, ResourceContext, StandInConfig, StandInPackage } from "./model";
import { randomModel } from "./random";
import { engineDowngrade, engineVersionAfterRefresh, resolveEngineVersion, unknownEngineVersion } from "./rdsVersions";
import { type RuleLookup, violations } from "./rules";
import { tlsModel } from "./tls";
import { ingressEndpointError, inUseError, missingImageError, nameKeyOf, nameTakenError, NAME_UNIQUENESS, quotaError } from "./uniqueness";
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

/** The bridge's list of input keys its Check filled in (autonaming, schema defaults). */
export const DEFAULTS_KEY = "__defaults";

export const canonicalType = canonicalAwsType;

const OIDC_PROVIDER_LOOKUP = "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider";
const ACCOUNT_LISTINGS = new Set([
    "aws:ecr/getRepositories:getRepositories",
    "aws:ecr/getRepository:getRepository",
    "aws:ecr/getImages:getImages",
    "aws:cloudwatch/getLogGroups:getLogGroups",
    "aws:verifiedpermissions/getPolicyStore:getPolicyStore",
    "aws:cognito/getUserPool:getUserPool",
    "aws:cognito/getUserPools:getUserPools",
    "aws:rds/getInstances:getInstances",
]);

export class StandInProvider implements Provider {
    readonly version: string;
    private readonly model: PackageModel;
    private config: StandInConfig = { vars: {} };
    /** The simulated AWS accounts (aws only). */
    readonly accounts?: AccountStore;
    private readonly previewing = new AsyncLocalStorage<boolean>();

    constructor(
        readonly pkg: StandInPackage,
        version?: string,
        options: { accountsFile?: string } = {},
    ) {
        this.version = version ?? sdkVersion(pkg);
        this.model = MODELS[pkg];
        if (pkg === "aws") this.accounts = new AccountStore(options.accountsFile ?? accountsFileFromEnv());
    }

    /** Runs `work` (a Create or Update) as part of a preview when `preview` is set. */
    inPreview<T>(preview: boolean, work: () => T): T {
        return this.previewing.run(preview, work);
    }

    private get isPreview(): boolean {
        return this.previewing.getStore() === true;
    }

    private lookup(): RuleLookup {
        const state = this.accounts?.read();
        return { resource: (type, id) => state?.resources[resourceKey(type, id)]?.facts };
    }

    private where(inputs: Props): { account: string; region: string } {
        return { account: ACCOUNT_ID, region: inputs.region ?? configuredRegion(this.config) };
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
        const additions = this.model.checkAdditions({ ...ctx, inputs: plain(inputs) }, oldInputs);
        Object.assign(inputs, additions);
        if (this.pkg === "aws") inputs[DEFAULTS_KEY] = Object.keys(additions).sort();
        // Validate only what is known (during preview some inputs are still unknown).
        const known = Object.fromEntries(Object.entries(plain(inputs)).filter(([k, v]) => k !== DEFAULTS_KEY && !hasUnknown(v)));
        const failures = this.model.validate({ ...ctx, inputs: known });
        if (this.pkg === "aws") {
            for (const v of violations(canonicalType(ctx.type), known, "check", this.lookup())) failures.push({ property: v.property, reason: v.message });
        }
        return { inputs: clean(inputs), failures };
    }

    async diff(id: string, urn: string, olds: any, news: any): Promise<DiffResult> {
        const o: Props = plain(olds ?? {});
        const n: Props = plain(news ?? {});
        const ctx = this.context(urn, n);
        const computed = new Set(this.model.computedKeys({ ...ctx, inputs: o }, id, o));
        const changed: string[] = [];
        for (const key of new Set([...Object.keys(n), ...Object.keys(o)])) {
            if (key === DEFAULTS_KEY) continue;
            const inNews = n[key] !== undefined && n[key] !== null;
            if (inNews) {
                // Secrets are compared by value: secretness alone is no change in the cloud.
                if (!equal(n[key], o[key])) changed.push(key);
            } else if (o[key] !== undefined && o[key] !== null && !computed.has(key)) {
                changed.push(key); // an input the program no longer sets
            }
        }
        const replaces = changed.filter((k) => this.model.forcesReplacement(ctx.type, k, o[k], n[k]));
        return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && this.explicitlyNamed(ctx.type, n) };
    }

    /**
     * As pulumi-terraform-bridge's nameRequiresDeleteBeforeReplace: the resource has an autonamed
     * property whose value the program set (it is not in the inputs' `__defaults`), so a new one
     * cannot exist next to the old one and the engine must delete first.
     */
    private explicitlyNamed(type: string, inputs: Props): boolean {
        const prop = this.model.autonameProperty?.(type);
        if (!prop || !Array.isArray(inputs[DEFAULTS_KEY])) return false;
        return inputs[prop] !== undefined && inputs[prop] !== null && !inputs[DEFAULTS_KEY].includes(prop);
    }

    /** Runs AWS's create/update-time checks; throws AWS's error as the real provider reports it. */
    private enforce(verb: "creating" | "updating", type: string, urnName: string, inputs: Props, old?: Props): void {
        if (!this.accounts) return;
        const canonical = canonicalType(type);
        const label = `${verb} ${type} (${NAME_UNIQUENESS[canonical]?.name(inputs) ?? urnName})`;
        const inherited = defaultTags(this.config);
        const tagged = inputs.tags !== undefined || Object.keys(inherited).length ? { ...inputs, tagsAll: { ...inherited, ...(inputs.tags ?? {}) } } : inputs;
        const problems = violations(canonical, tagged, "apply", this.lookup()).map((v) => v.message);
        if (canonical === "aws:rds/instance:Instance") {
            // The Terraform provider sends EngineVersion on create, and on update only when it differs from
            // the state (HasChange); RDS resolves a major-only version to its default minor and refuses
            // an unknown major or a version older than the one the instance runs (rdsVersions.ts).
            const sent = !old || !equal(old.engineVersion, inputs.engineVersion);
            const unknown = sent ? unknownEngineVersion(inputs.engine, inputs.engineVersion) : undefined;
            if (unknown) problems.push(unknown);
            const downgrade = old && sent && !unknown ? engineDowngrade(old.engineVersionActual ?? old.engineVersion, resolveEngineVersion(inputs.engine, inputs.engineVersion), inputs.engine) : undefined;
            if (downgrade) problems.push(downgrade);
        }
        const missingImage = this.accounts.transact((s) => missingImageError(canonical, inputs, old, s));
        if (missingImage) problems.push(missingImage);
        const badEndpoint = this.accounts.transact((s) => ingressEndpointError(canonical, inputs, s));
        if (badEndpoint) problems.push(badEndpoint);
        if (verb === "creating") {
            const { account, region } = this.where(inputs);
            const taken = this.accounts.transact((s) => nameTakenError(canonical, inputs, account, region, s, Date.now()) ?? quotaError(canonical, inputs, account, region, s));
            if (taken) problems.push(taken);
        }
        if (problems.length) throw new Error(`${label}: ${problems.join("; ")} [OFFLINE STAND-IN: simulated AWS]`);
    }

    private remember(type: string, id: string, urn: string, outs: Props): void {
        if (!this.accounts) return;
        const canonical = canonicalType(type);
        const { account, region } = this.where(outs);
        this.accounts.transact((s) => {
            s.deleted = s.deleted.filter((k) => k !== resourceKey(canonical, id));
            s.resources[resourceKey(canonical, id)] = { type: canonical, id, urn, account, region, nameKey: nameKeyOf(canonical, outs, account, region), facts: factsOf(outs) };
        });
    }

    async create(urn: string, inputs: any): Promise<CreateResult> {
        const { [DEFAULTS_KEY]: _defaults, ...raw }: Props = inputs ?? {};
        // A bridged provider plans a create with its computed outputs unknown.
        if (this.isPreview) return { id: "", outs: raw };
        const ctx = this.context(urn, plain(raw));
        this.enforce("creating", ctx.type, ctx.name, ctx.inputs);
        const { id, outs } = this.model.create(ctx);
        const result = clean(merge(raw, outs));
        this.remember(ctx.type, id, urn, plain(result));
        return { id, outs: result };
    }

    /** Stored state, with what AWS changed on its own; gone when the account no longer has it. */
    async read(id: string, urn: string, props?: any): Promise<ReadResult> {
        const account = this.accounts?.read();
        const key = resourceKey(canonicalType(parseUrn(urn).type), id);
        if (account?.deleted.includes(key) && !account.resources[key]) return { id: "", props: {} };
        return { id, props: withDrift(key, props ?? {}, account?.drift[key]) };
    }

    /** The old state overlaid with what AWS changed on its own since (an update acts on what AWS runs). */
    private current(type: string, id: string, olds: Props): Props {
        const key = resourceKey(canonicalType(type), id);
        return withDrift(key, olds, this.accounts?.read().drift[key]);
    }

    async update(id: string, urn: string, olds: any, news: any): Promise<UpdateResult> {
        const { [DEFAULTS_KEY]: _defaults, ...raw }: Props = news ?? {};
        const ctx = this.context(urn, plain(raw));
        if (this.isPreview) return { outs: clean(merge(raw, this.model.update(ctx, id, plain(olds ?? {})), olds ?? {})) };
        // What AWS runs now, with the state's engineVersion: the provider sends what differs from its state.
        const current = { ...this.current(ctx.type, id, plain(olds ?? {})), engineVersion: plain(olds ?? {}).engineVersion };
        this.enforce("updating", ctx.type, ctx.name, ctx.inputs, current);
        const outs = this.model.update(ctx, id, current);
        const result = clean(merge(raw, outs, olds ?? {}));
        this.remember(ctx.type, id, urn, plain(result));
        this.accounts?.transact((s) => delete s.drift[resourceKey(canonicalType(ctx.type), id)]);
        return { outs: result };
    }

    /** Nothing exists in any cloud; the simulated account forgets the resource, or refuses as AWS does. */
    async delete(id?: string, urn?: string, props?: any): Promise<void> {
        if (!this.accounts || !id || !urn) return;
        const type = canonicalType(parseUrn(urn).type);
        const state: Props = plain(props ?? {});
        const key = resourceKey(type, id);
        const refusal = this.accounts.transact((s) => {
            const refused = inUseError(type, id, s.resources[key], s);
            if (refused) return refused;
            const self = s.resources[key];
            delete s.resources[key];
            delete s.drift[key];
            if (type === "aws:ecr/repository:Repository") delete s.images[id];
            if (!s.deleted.includes(key)) s.deleted.push(key);
            const reserved = NAME_UNIQUENESS[type]?.reservedAfterDelete?.(state);
            if (self?.nameKey && reserved) s.reservations.push({ nameKey: self.nameKey, untilMs: Date.now() + reserved.days * 86_400_000, message: reserved.message });
            return undefined;
        });
        if (refusal) throw new Error(`deleting ${type} (${id}): ${refusal} [OFFLINE STAND-IN: simulated AWS]`);
    }

    async invoke(token: string, inputs: any): Promise<InvokeResult> {
        const args = plain(inputs ?? {}) as Props;
        if (token === OIDC_PROVIDER_LOOKUP && this.accounts) return { outputs: clean(this.findOidcProvider(args)) };
        if (ACCOUNT_LISTINGS.has(token) && this.accounts) return { outputs: clean(this.listAccount(token, args)) };
        return { outputs: clean(this.model.invoke(token, args, this.config)) };
    }

    /**
     * The ECR and CloudWatch Logs look-ups answered from the simulated account (this account and region, every stack):
     * `aws.ecr.getRepositories` (DescribeRepositories: every name), `aws.ecr.getRepository` (the repository and its
     * tags, or the data source's RepositoryNotFoundException), `aws.ecr.getImages` (ListImages: the pushed tags),
     * `aws.cloudwatch.getLogGroups` (DescribeLogGroups by name prefix), `aws.verifiedpermissions.getPolicyStore`
     * (GetPolicyStore), `aws.cognito.getUserPool` (DescribeUserPool), `aws.cognito.getUserPools` (ListUserPools by name)
     * and `aws.rds.getInstances` (DescribeDBInstances by db-instance-id).
     */
    private listAccount(token: string, args: Props): Props {
        const { account, region } = this.where(args);
        const state = this.accounts!.read();
        const live = (type: string) => Object.values(state.resources).filter((r) => r.type === type && r.account === account && r.region === region);
        const repositories = live("aws:ecr/repository:Repository");
        switch (token) {
            case "aws:ecr/getRepositories:getRepositories":
                return { id: region, names: repositories.map((r) => r.id).sort() };
            case "aws:ecr/getRepository:getRepository":
            case "aws:ecr/getImages:getImages": {
                const name = String(args.name ?? args.repositoryName);
                const found = repositories.find((r) => r.id === name);
                if (!found) throw new Error(`RepositoryNotFoundException: The repository with name '${name}' does not exist in the registry with id '${account}' [OFFLINE STAND-IN: simulated AWS]`);
                if (token === "aws:ecr/getImages:getImages") {
                    return { id: name, repositoryName: name, imageIds: (state.images[name] ?? []).map((tag) => ({ imageTag: tag, imageDigest: `sha256:${createHash("sha256").update(`${name}:${tag}`).digest("hex")}` })) };
                }
                return { id: name, name, arn: found.facts.arn, registryId: account, tags: found.facts.tagsAll ?? {} };
            }
            // Verified Permissions GetPolicyStore: the store, or ResourceNotFoundException.
            case "aws:verifiedpermissions/getPolicyStore:getPolicyStore": {
                const id = String(args.id ?? "");
                const found = live("aws:verifiedpermissions/policyStore:PolicyStore").find((r) => r.id === id);
                if (!found) throw new Error(`ResourceNotFoundException: policy store ${id} not found in account ${account} region ${region} [OFFLINE STAND-IN: simulated AWS]`);
                return { id, arn: found.facts.arn, tags: found.facts.tagsAll ?? {} };
            }
            // Cognito DescribeUserPool: the pool, or ResourceNotFoundException.
            case "aws:cognito/getUserPool:getUserPool": {
                const id = String(args.userPoolId ?? "");
                const found = live("aws:cognito/userPool:UserPool").find((r) => r.id === id);
                if (!found) throw new Error(`ResourceNotFoundException: User pool ${id} does not exist. [OFFLINE STAND-IN: simulated AWS]`);
                return { id, userPoolId: id, arn: found.facts.arn, name: found.facts.name, tags: found.facts.tagsAll ?? {} };
            }
            // Cognito ListUserPools filtered by name, as the Terraform data source (aws_cognito_user_pools) does: empty lists when none matches.
            case "aws:cognito/getUserPools:getUserPools": {
                const name = String(args.name ?? "");
                const pools = live("aws:cognito/userPool:UserPool").filter((r) => r.facts.name === name).sort((a, b) => a.id.localeCompare(b.id));
                return { id: name, name, ids: pools.map((r) => r.id), arns: pools.map((r) => r.facts.arn) };
            }
            // RDS DescribeDBInstances with the db-instance-id filter (identifiers or ARNs), as the Terraform data source
            // aws_db_instances answers: empty lists when none matches (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html).
            case "aws:rds/getInstances:getInstances": {
                const wanted = new Set<string>((args.filters ?? []).filter((f: Props) => f.name === "db-instance-id").flatMap((f: Props) => f.values ?? []));
                const instances = live("aws:rds/instance:Instance")
                    .map((r) => ({ arn: String(r.facts.arn), identifier: String(r.facts.arn).split(":db:")[1] }))
                    .filter((i) => wanted.size === 0 || wanted.has(i.identifier) || wanted.has(i.arn))
                    .sort((a, b) => a.identifier.localeCompare(b.identifier));
                return { id: region, instanceIdentifiers: instances.map((i) => i.identifier), instanceArns: instances.map((i) => i.arn) };
            }
            case "aws:cloudwatch/getLogGroups:getLogGroups": {
                const prefix = String(args.logGroupNamePrefix ?? "");
                const groups = live("aws:cloudwatch/logGroup:LogGroup").filter((r) => r.id.startsWith(prefix)).sort((a, b) => a.id.localeCompare(b.id));
                return { id: region, logGroupNamePrefix: prefix, logGroupNames: groups.map((r) => r.id), arns: groups.map((r) => r.facts.arn) };
            }
        }
        throw new Error(`unexpected look-up ${token}`);
    }

    /**
     * `aws.iam.getOpenIdConnectProvider` by `arn` or `url`: the provider of that issuer in the
     * simulated account, as IAM's GetOpenIDConnectProvider returns it, or the data source's error.
     */
    private findOidcProvider(args: Props): Props {
        const issuer = (u: unknown) => String(u ?? "").replace(/^https:\/\//, "").replace(/\/$/, "");
        const { account } = this.where(args);
        const found = Object.values(this.accounts!.read().resources).find(
            (r) =>
                r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" &&
                r.account === account &&
                (args.arn !== undefined ? r.facts.arn === args.arn : issuer(r.facts.url) === issuer(args.url)),
        );
        if (!found) {
            throw new Error(`reading IAM OIDC Provider (${args.arn ?? args.url}): empty result [OFFLINE STAND-IN: simulated AWS account ${account} has no such provider]`);
        }
        return {
            id: found.id,
            arn: found.facts.arn,
            url: issuer(found.facts.url),
            clientIdLists: found.facts.clientIdLists ?? [],
            thumbprintLists: found.facts.thumbprintLists ?? [],
            tags: found.facts.tags ?? {},
        };
    }
}

/**
 * Stored state with drift overlaid as the real provider's Read reports it. For an RDS instance AWS
 * reports the running version (`engineVersionActual`); the Terraform provider keeps a configured
 * prefix of it as `engineVersion` and otherwise records the running version there (rdsVersions.ts).
 */
function withDrift(key: string, props: Props, drift: Props | undefined): Props {
    if (!drift) return props;
    const out = { ...props, ...drift };
    if (key.startsWith("aws:rds/instance:Instance|") && typeof drift.engineVersionActual === "string") {
        out.engineVersion = engineVersionAfterRefresh(props.engineVersion, drift.engineVersionActual);
    }
    return out;
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
