/**
 * Simulated AWS accounts for the OFFLINE STAND-IN (tests only). Every stand-in plugin process whose
 * stacks use the same state folder shares one accounts file (next to the file backend, or the path
 * in RAMPART_STANDIN_ACCOUNTS), locked while it is read and written, so two stacks deployed into
 * the same account collide the way they would on AWS. Without a file backend the accounts live in
 * memory (unit tests).
 *
 * Kept per account and region: each live resource's name key and the few facts other rules need
 * (CIDRs, zones, security groups, target groups, engine versions), names a deleted resource still
 * reserves, and drift: changes AWS makes on its own that Read reports (see `recordDrift`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import { nameKeyOf } from "./uniqueness";
import type { Props } from "./values";

export interface AccountResource {
    type: string;
    id: string;
    urn: string;
    account: string;
    region: string;
    /** `<scope>|<name>` when the type's names are unique in a scope. */
    nameKey?: string;
    facts: Props;
}

export interface NameReservation {
    nameKey: string;
    untilMs: number;
    message: string;
}

export interface AccountsState {
    resources: Record<string, AccountResource>;
    reservations: NameReservation[];
    /** Properties AWS changed on its own, by `<type>|<id>`; Read overlays them. */
    drift: Record<string, Props>;
    /** `<type>|<id>` of deleted resources: Read (refresh) of another stack's copy finds them gone. */
    deleted: string[];
    /** Image tags in ECR repositories, by repository id (its name): pushed outside the stacks (CI), see `pushImages`. */
    images: Record<string, string[]>;
}

const empty = (): AccountsState => ({ resources: {}, reservations: [], drift: {}, deleted: [], images: {} });

/** The facts rules and in-use checks need; nothing secret is kept. */
const FACT_KEYS = [
    "cidrBlock", "vpcId", "availabilityZone", "subnets", "subnetIds", "subnetMappings", "securityGroups", "securityGroupIds",
    "vpcSecurityGroupIds", "networkConfiguration", "vpcConfig", "referencedSecurityGroupId", "securityGroupId", "defaultActions",
    "actions", "loadBalancerArn", "listenerArn", "loadBalancers", "cluster", "engine", "engineVersion", "engineVersionActual",
    "arn", "loadBalancerType", "versionStages", "secretId", "url", "clientIdLists", "thumbprintLists", "name", "tagsAll", "forceDelete",
    "autoScalingConfigurationName", "serviceName", "vpcEndpointType",
];

export function factsOf(outs: Props): Props {
    const facts: Props = {};
    for (const k of FACT_KEYS) if (outs[k] !== undefined) facts[k] = outs[k];
    return facts;
}

export const resourceKey = (type: string, id: string) => `${type}|${id}`;

/** Where the accounts of the stacks in this process's state folder live, or undefined (in memory). */
export function accountsFileFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (env.RAMPART_STANDIN_ACCOUNTS) return env.RAMPART_STANDIN_ACCOUNTS;
    const backend = env.PULUMI_BACKEND_URL;
    if (backend?.startsWith("file://")) return path.join(fileURLToPath(backend), "standin-aws-accounts.json");
    return undefined;
}

function sleep(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A store of simulated accounts: a locked JSON file shared between processes, or memory. */
export class AccountStore {
    private memory: AccountsState = empty();

    constructor(readonly file?: string) {}

    /** Runs `change` on the current state under the lock and saves what it leaves. */
    transact<T>(change: (state: AccountsState) => T): T {
        if (!this.file) return change(this.memory);
        const lock = `${this.file}.lock`;
        mkdirSync(path.dirname(this.file), { recursive: true });
        for (let attempt = 0; ; attempt++) {
            try {
                mkdirSync(lock);
                break;
            } catch {
                try {
                    if (Date.now() - statSync(lock).mtimeMs > 30_000) rmdirSync(lock);
                } catch {
                    // the holder just released it
                }
                if (attempt > 3000) throw new Error(`the OFFLINE STAND-IN could not lock ${this.file}`);
                sleep(10);
            }
        }
        try {
            const state: AccountsState = existsSync(this.file) ? { ...empty(), ...JSON.parse(readFileSync(this.file, "utf8")) } : empty();
            const result = change(state);
            const tmp = `${this.file}.${process.pid}.tmp`;
            writeFileSync(tmp, JSON.stringify(state, null, 1));
            renameSync(tmp, this.file);
            return result;
        } finally {
            rmdirSync(lock);
        }
    }

    read(): AccountsState {
        return this.transact((s) => JSON.parse(JSON.stringify(s)) as AccountsState);
    }
}

/**
 * Test hook: AWS changes `props` of the resource `type`/`id` on its own (an automatic minor
 * upgrade, a rotation). The next Read (refresh) reports them, as the real provider would.
 */
export function recordDrift(store: AccountStore, type: string, id: string, props: Props): void {
    store.transact((s) => {
        const key = resourceKey(type, id);
        s.drift[key] = { ...(s.drift[key] ?? {}), ...props };
        const r = s.resources[key];
        if (r) r.facts = { ...r.facts, ...factsOf(props) };
    });
}

/**
 * RDS applied an automatic minor version upgrade to `version` during the maintenance window. AWS
 * reports the running version; what the provider then stores as `engineVersion` follows the
 * Terraform provider's rule (rdsVersions.ts: engineVersionAfterRefresh), applied by Read.
 */
export function autoMinorUpgrade(store: AccountStore, dbInstanceId: string, version: string): void {
    recordDrift(store, "aws:rds/instance:Instance", dbInstanceId, { engineVersionActual: version });
}

/**
 * Test hook: CI pushed images with these tags to the ECR repository `name` (created by a stack under test). ECR's
 * DeleteRepository then refuses to delete it unless forced, and ListImages (`aws.ecr.getImages`) lists them.
 */
export function pushImages(store: AccountStore, name: string, tags: string[]): void {
    store.transact((s) => {
        if (!s.resources[resourceKey("aws:ecr/repository:Repository", name)]) throw new Error(`pushImages: no ECR repository "${name}" in the simulated account`);
        s.images[name] = [...new Set([...(s.images[name] ?? []), ...tags])];
    });
}

/** Secrets Manager rotated the secret: the version the stack wrote is no longer AWSCURRENT. */
export function rotateSecret(store: AccountStore, secretVersionId: string): void {
    recordDrift(store, "aws:secretsmanager/secretVersion:SecretVersion", secretVersionId, { versionStages: ["AWSPREVIOUS"] });
}

/**
 * Test hook: the account already has an IAM OIDC provider for `url` with these client ids, as after
 * the account's one-time bootstrap (created outside the stacks under test). Does nothing if the
 * account has one for that URL already.
 */
export function seedOidcProvider(store: AccountStore, args: { url: string; clientIds: string[]; account?: string; region?: string }): string {
    const account = args.account ?? "123456789012";
    const issuer = args.url.replace(/^https:\/\//, "").replace(/\/$/, "");
    const arn = `arn:aws:iam::${account}:oidc-provider/${issuer}`;
    store.transact((s) => {
        const type = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
        const key = resourceKey(type, arn);
        if (s.resources[key]) return;
        s.resources[key] = {
            type,
            id: arn,
            urn: `urn:pulumi:account-bootstrap::account-bootstrap::${type}::${issuer}`,
            account,
            region: args.region ?? "us-east-1",
            nameKey: nameKeyOf(type, { url: `https://${issuer}` }, account, args.region ?? "us-east-1"),
            facts: { arn, url: `https://${issuer}`, clientIdLists: [...args.clientIds] },
        };
    });
    return arn;
}
