/**
 * Issue 17 (item 1): a stage's own database and role on a shared PostgreSQL instance (`database.existing`, created by
 * an ECS init container) and a shared cache with the stage's key prefix (`cache.existing`).
 */
import { describe, expect, it } from "vitest";
import { Compute, NatGateways, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { containerDefinitions, databaseInitEnvironment, DB_INIT_CONTAINER, DB_INIT_SCRIPT } from "../../../provider/src/servicePlatform/containers";
import { resolveSettings, sharedDatabaseName } from "../../../provider/src/servicePlatform/settings";
import { leftBehindDatabaseProblems } from "../../../provider/src/servicePlatform/sharedData";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { record, setAccountAdoptables, withRejectionsCollected } from "../../utils/harness";
import { ServicePlatform } from "../../../provider/src/servicePlatform";
import { ACCOUNT_ID, build, computeState, doc, problems, REGION, T } from "./fixtures";

const ADMIN_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-Ab12Cd`;
const DB_HOST = `shared.c0ffee12ab34.${REGION}.rds.amazonaws.com`;
const CACHE_HOST = `shared-x1y2z3.serverless.use1.cache.amazonaws.com`;
const DB_SG = "sg-0123456789abcdef0";
const CACHE_SG = "sg-0fedcba9876543210";
const VPC = { vpcId: "vpc-0aaaabbbbccccdddd", publicSubnetIds: ["subnet-0a", "subnet-0b"], privateSubnetIds: ["subnet-0c", "subnet-0d"] };

function sharedArgs(stage = "pr-17", extra: Partial<ServicePlatformArgs> = {}): ServicePlatformArgs {
    return {
        stage,
        network: { existingVpc: VPC },
        services: [
            { name: "api", public: true, useDatabase: true, useCache: true, image: "public.ecr.aws/nginx/nginx:1.27" },
            { name: "worker", useCache: true, image: "public.ecr.aws/nginx/nginx:1.27" },
        ],
        database: { existing: { host: DB_HOST, adminSecretArn: ADMIN_SECRET, securityGroupId: DB_SG } },
        cache: { existing: { host: CACHE_HOST, securityGroupId: CACHE_SG } },
        ...extra,
    };
}

describe("database.existing and cache.existing: validation", () => {
    it("accepts the shared shapes", () => {
        expect(problems(sharedArgs())).toEqual([]);
        expect(problems(sharedArgs("pr-1", { database: { existing: { host: DB_HOST, port: 1150, adminSecretArn: ADMIN_SECRET } } }))).toEqual([]);
    });

    it("refuses bad shapes, every problem in one error naming the path, what was given and what is allowed", () => {
        const found = problems(
            sharedArgs("pr-17", {
                database: { existing: { host: `${DB_HOST}:5432`, port: 80, adminSecretArn: `${ADMIN_SECRET}:password::`, securityGroupId: "sg-xyz" } },
                cache: { existing: { host: "https://cache", port: 70000, securityGroupId: "group" } },
            }),
        );
        expect(found).toHaveLength(7);
        expect(found[0]).toMatch(/^database\.existing\.host: got ".*:5432"; the host name of the instance's endpoint/);
        expect(found[1]).toMatch(/^database\.existing\.port: got 80; .*1150.*65535/);
        expect(found[2]).toMatch(/^database\.existing\.adminSecretArn: got ".*:password::"; a Secrets Manager secret ARN.*without a JSON key/);
        expect(found[3]).toMatch(/^database\.existing\.securityGroupId: got "sg-xyz"; a security group id/);
        expect(found[4]).toMatch(/^cache\.existing\.host: got "https:\/\/cache"/);
        expect(found[5]).toMatch(/^cache\.existing\.port: got 70000/);
        expect(found[6]).toMatch(/^cache\.existing\.securityGroupId: got "group"/);
    });

    it("refuses existing together with the create-arguments it replaces", () => {
        const found = problems(
            sharedArgs("pr-17", {
                database: { existing: { host: DB_HOST, adminSecretArn: ADMIN_SECRET }, instanceClass: "db.t4g.small", databaseName: "app", parameters: {} },
                cache: { existing: { host: CACHE_HOST }, maxEcpuPerSecond: 2000 },
            }),
        );
        expect(found).toEqual([
            'database.instanceClass: got "db.t4g.small"; not with database.existing: it describes an instance rampart creates; the shared instance keeps its own settings',
            'database.databaseName: got "app"; not with database.existing: it describes an instance rampart creates; the shared instance keeps its own settings',
            "database.parameters: got {}; not with database.existing: it describes an instance rampart creates; the shared instance keeps its own settings",
            "cache.maxEcpuPerSecond: got 2000; not with cache.existing: it describes a cache rampart creates; the shared cache keeps its own settings",
        ]);
    });

    it("refuses database.existing on App Runner, and the ECR Public init image without NAT", () => {
        expect(problems({ ...sharedArgs(), compute: Compute.AppRunner, services: [{ name: "api", useDatabase: true, image: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/api:1` }], cache: undefined })).toEqual([
            'database.existing: got "compute appRunner"; compute fargate: the stage\'s database and role are created by an ECS init container in each service\'s task, and App Runner and Express Mode run one container per service',
        ]);
        expect(problems({ ...sharedArgs(), compute: Compute.ExpressMode, services: [{ name: "api", useDatabase: true, imageTag: "sha-1" }], cache: undefined })).toContain(
            'database.existing: got "compute expressMode"; compute fargate: the stage\'s database and role are created by an ECS init container in each service\'s task, and App Runner and Express Mode run one container per service',
        );
        const noNat = { stage: "pr-1", network: { natGateways: NatGateways.None }, services: [{ name: "api", useDatabase: true }], database: { existing: { host: DB_HOST, adminSecretArn: ADMIN_SECRET } } };
        expect(problems(noNat)).toEqual([expect.stringMatching(/^database\.existing\.initImage: nothing was given \(the default image is on ECR Public\); with network\.natGateways "none"/)]);
        expect(problems({ ...noNat, database: { existing: { host: DB_HOST, adminSecretArn: ADMIN_SECRET, initImage: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/ecr-public/docker/library/postgres:17-alpine` } } })).toEqual([]);
    });

    it("reserves CACHE_KEY_PREFIX for services with useCache on a shared cache", () => {
        const args = sharedArgs();
        args.services[1].environment = { CACHE_KEY_PREFIX: "mine:" };
        expect(problems(args)).toEqual(["services[1].environment.CACHE_KEY_PREFIX: got \"CACHE_KEY_PREFIX\"; CACHE_KEY_PREFIX is set by rampart (useCache with cache.existing); choose another name"]);
    });
});

describe("the stage's database name", () => {
    it("is <name>_<stage> as a PostgreSQL identifier, unique per stage, at most 63 characters", () => {
        expect(sharedDatabaseName("skreg", "pr-17")).toBe("skreg_pr_17");
        expect(sharedDatabaseName("Web-App", "prod")).toBe("web_app_prod");
        expect(sharedDatabaseName("1app", "dev")).toBe("r_1app_dev");
        const long = "a".repeat(40);
        const one = sharedDatabaseName(long, "pr-1234567890123456789012345-a");
        const two = sharedDatabaseName(long, "pr-1234567890123456789012345-b");
        expect(one.length).toBeLessThanOrEqual(63);
        expect(one).not.toBe(two);
        expect(resolveSettings("skreg", sharedArgs()).sharedDatabase?.databaseName).toBe("skreg_pr_17");
        expect(resolveSettings("skreg", sharedArgs()).database).toBeUndefined();
        expect(resolveSettings("skreg", sharedArgs()).sharedCache?.keyPrefix).toBe("skreg-pr-17:");
    });
});

describe("the init container (pure rendering)", () => {
    const spec = { image: "public.ecr.aws/docker/library/postgres:17-alpine", host: DB_HOST, port: 5432, databaseName: "app_pr_17", adminSecretArn: ADMIN_SECRET, stageSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-pr-17/database-Rnd0m1" };

    it("gets the admin and stage credentials by reference only", () => {
        const env = databaseInitEnvironment(spec);
        expect(env.plain).toEqual({ PGHOST: DB_HOST, PGPORT: "5432", PGDATABASE: "postgres", PGSSLMODE: "require", PGCONNECT_TIMEOUT: "10", STAGE_DB: "app_pr_17" });
        expect(env.secrets).toEqual({ ADMIN_USER: `${ADMIN_SECRET}:username::`, ADMIN_PASSWORD: `${ADMIN_SECRET}:password::`, STAGE_PASSWORD: `${spec.stageSecretArn}:password::` });
    });

    it("runs first, not essential, and the service's container depends on its SUCCESS", () => {
        const env = databaseInitEnvironment(spec);
        const defs = containerDefinitions({
            name: "api",
            image: "nginx",
            cpu: 256,
            memory: 512,
            port: 8080,
            environment: {},
            secrets: {},
            logGroupName: "/rampart/app/pr-17/api",
            region: REGION,
            init: { name: DB_INIT_CONTAINER, image: spec.image, command: ["sh", "-c", DB_INIT_SCRIPT], environment: env.plain, secrets: env.secrets },
        }) as any[];
        expect(defs.map((d) => d.name)).toEqual(["api", "db-init"]);
        expect(defs[0].essential).toBe(true);
        expect(defs[0].dependsOn).toEqual([{ containerName: "db-init", condition: "SUCCESS" }]);
        expect(defs[1]).toMatchObject({ essential: false, readonlyRootFilesystem: true, privileged: false, command: ["sh", "-c", DB_INIT_SCRIPT] });
        expect(defs[1].cpu).toBeUndefined();
        expect(defs[1].memory).toBeUndefined();
        expect(defs[1].logConfiguration.options["awslogs-stream-prefix"]).toBe("db-init");
        // Without init, nothing changes.
        const plain = containerDefinitions({ name: "api", image: "nginx", cpu: 256, memory: 512, port: 8080, environment: {}, secrets: {}, logGroupName: "g", region: REGION }) as any[];
        expect(plain).toHaveLength(1);
        expect(plain[0].dependsOn).toBeUndefined();
    });

    it("creates role and database idempotently, quoting through format(%I/%L) and failing on any error", () => {
        expect(DB_INIT_SCRIPT).toContain("ON_ERROR_STOP=1");
        expect(DB_INIT_SCRIPT).toContain("CREATE ROLE %I LOGIN', :'name') WHERE NOT EXISTS");
        expect(DB_INIT_SCRIPT).toContain("CREATE DATABASE %I OWNER %I', :'name', :'name') WHERE NOT EXISTS");
        expect(DB_INIT_SCRIPT).toContain("REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC");
        expect(DB_INIT_SCRIPT).toContain("\\getenv password STAGE_PASSWORD");
        // No value is interpolated by the shell into SQL.
        expect(DB_INIT_SCRIPT).not.toMatch(/\$STAGE_PASSWORD'|'\$STAGE_DB/);
    });
});

describe("database.existing and cache.existing: what the stage creates", () => {
    it("creates no RDS instance or cache, a stage secret with a random password, and rules on the shared groups", async () => {
        const b = await build(sharedArgs(), "skreg");
        expect(b.all(T.db)).toEqual([]);
        expect(b.all(T.dbSubnets)).toEqual([]);
        expect(b.all(T.cache)).toEqual([]);
        const password = b.one("random:index/randomPassword:RandomPassword");
        expect(password.inputs).toMatchObject({ length: 32, special: false });
        const secret = b.one(T.secret, "skreg-db-secret");
        expect(secret.inputs.name).toBe("skreg-pr-17-database");
        const version = b.one(T.secretVersion, "skreg-db-secret-value");
        expect(version.secretPaths).toContain("secretString");
        expect(JSON.parse(version.inputs.secretString)).toMatchObject({ engine: "postgres", host: DB_HOST, port: 5432, dbname: "skreg_pr_17", username: "skreg_pr_17" });

        const ingress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === DB_SG || r.inputs.securityGroupId === CACHE_SG);
        expect(ingress.map((r) => [r.name, r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort]).sort()).toEqual([
            ["skreg-shared-cache-from-api", CACHE_SG, 6379, 6379],
            ["skreg-shared-cache-from-worker", CACHE_SG, 6379, 6379],
            ["skreg-shared-db-from-api", DB_SG, 5432, 5432],
        ]);
        const egress = b.all(T.egress).filter((r) => r.name.includes("to-shared"));
        expect(egress.map((r) => [r.name, r.inputs.referencedSecurityGroupId]).sort()).toEqual([
            ["skreg-svc-api-to-shared-cache", CACHE_SG],
            ["skreg-svc-api-to-shared-db", DB_SG],
            ["skreg-svc-worker-to-shared-cache", CACHE_SG],
        ]);
    });

    it("gives each service the stage's connection as with a platform-owned database, secrets by reference only", async () => {
        const b = await build(sharedArgs(), "skreg");
        const stageSecret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:skreg-pr-17-database-Rnd0m1`;
        const api = JSON.parse(b.one(T.taskDefinition, "skreg-task-api").inputs.containerDefinitions);
        expect(api.map((c: any) => c.name)).toEqual(["api", "db-init"]);
        const env = Object.fromEntries(api[0].environment.map((e: any) => [e.name, e.value]));
        expect(env).toMatchObject({ DB_HOST, DB_PORT: "5432", DB_NAME: "skreg_pr_17", DB_SECRET_ARN: stageSecret, CACHE_ENDPOINT: `${CACHE_HOST}:6379`, CACHE_KEY_PREFIX: "skreg-pr-17:" });
        expect(Object.fromEntries(api[0].secrets.map((e: any) => [e.name, e.valueFrom]))).toEqual({ DB_USER: `${stageSecret}:username::`, DB_PASSWORD: `${stageSecret}:password::` });
        expect(api[0].dependsOn).toEqual([{ containerName: "db-init", condition: "SUCCESS" }]);
        expect(Object.fromEntries(api[1].secrets.map((e: any) => [e.name, e.valueFrom]))).toEqual({
            ADMIN_USER: `${ADMIN_SECRET}:username::`,
            ADMIN_PASSWORD: `${ADMIN_SECRET}:password::`,
            STAGE_PASSWORD: `${stageSecret}:password::`,
        });
        const worker = JSON.parse(b.one(T.taskDefinition, "skreg-task-worker").inputs.containerDefinitions);
        expect(worker.map((c: any) => c.name)).toEqual(["worker"]);
        expect(worker[0].environment.map((e: any) => e.name)).toEqual(["CACHE_ENDPOINT", "CACHE_KEY_PREFIX"]);

        // The execution role reads the admin secret and the stage's; the application's task role only the stage's.
        const execStatements = doc(b.one(T.rolePolicy, "skreg-exec-policy-api")).Statement;
        const execSecrets = execStatements.filter((s: any) => [s.Action].flat().includes("secretsmanager:GetSecretValue")).flatMap((s: any) => [s.Resource].flat());
        expect(execSecrets.sort()).toEqual([ADMIN_SECRET, stageSecret].sort());
        const taskStatements = doc(b.one(T.rolePolicy, "skreg-task-policy-api")).Statement;
        const taskSecrets = taskStatements.filter((s: any) => [s.Action].flat().includes("secretsmanager:GetSecretValue")).flatMap((s: any) => [s.Resource].flat());
        expect(taskSecrets).toEqual([stageSecret]);
        expect(JSON.stringify(b.recorder.resources.map((r) => r.inputs))).not.toMatch(/"password":"[A-Za-z0-9]{32}"/);
        expect(await new Promise((r) => b.platform.databaseSecretArn!.apply(r))).toBe(stageSecret);
    });

    it("without securityGroupId adds only the services' egress to the VPC's block on the port", async () => {
        const args = sharedArgs("pr-2", { database: { existing: { host: DB_HOST, port: 6432, adminSecretArn: ADMIN_SECRET } }, cache: undefined });
        args.services.forEach((s) => (s.useCache = false));
        const b = await build(args, "skreg");
        expect(b.all(T.ingress).filter((r) => r.name.includes("shared"))).toEqual([]);
        const egress = b.one(T.egress, "skreg-svc-api-to-shared-db");
        expect(egress.inputs).toMatchObject({ cidrIpv4: "10.0.0.0/16", fromPort: 6432, toPort: 6432, ipProtocol: "tcp" });
    });
});

describe("switching a stage with its own database to database.existing", () => {
    it("is refused while the stage's own instance exists (pure)", () => {
        expect(leftBehindDatabaseProblems("skreg-pr-17", [], DB_HOST)).toEqual([]);
        expect(leftBehindDatabaseProblems("skreg-pr-17", ["skreg-pr-170"], DB_HOST)).toEqual([]);
        const [problem] = leftBehindDatabaseProblems("skreg-pr-17", ["skreg-pr-17"], DB_HOST);
        expect(problem.path).toBe("database.existing");
        expect(problem.given).toBe(`got "${DB_HOST}" while this stage's own database instance "skreg-pr-17" still exists`);
        expect(problem.allowed).toContain("set database.allowReplacement true");
    });

    async function attempt(args: ServicePlatformArgs) {
        return withRejectionsCollected(async (errors: unknown[]) => {
            const { recorder } = await record(() => new ServicePlatform("skreg", args), { computeState, preview: true });
            await new Promise((done) => setTimeout(done, 50));
            return { recorder, refusals: [...new Set(errors.filter((e): e is ComponentValidationError => e instanceof ComponentValidationError))] };
        });
    }

    it("looks the stage's instance up at preview and refuses before any child, unless database.allowReplacement", async () => {
        const identifier = (await build({ stage: "pr-17", services: [{ name: "api", useDatabase: true }], database: {} }, "skreg")).one(T.db).inputs.identifier;
        const restore = setAccountAdoptables({ policyStores: [], userPools: [], dbInstances: [identifier] });
        try {
            const refused = await attempt(sharedArgs());
            expect(refused.refusals).toHaveLength(1);
            expect(refused.refusals[0].message).toContain(`database.existing: got "${DB_HOST}" while this stage's own database instance "${identifier}" still exists`);
            expect(refused.recorder.byType(T.taskDefinition)).toEqual([]);
            const allowed = await attempt(sharedArgs("pr-17", { database: { existing: { host: DB_HOST, adminSecretArn: ADMIN_SECRET, securityGroupId: DB_SG }, allowReplacement: true } }));
            expect(allowed.refusals).toEqual([]);
            expect(allowed.recorder.byType(T.taskDefinition)).toHaveLength(2);
        } finally {
            restore();
        }
        // Another stage's instance is not this stage's.
        const other = setAccountAdoptables({ policyStores: [], userPools: [], dbInstances: [`${identifier}0`] });
        try {
            expect((await attempt(sharedArgs())).refusals).toEqual([]);
        } finally {
            other();
        }
    });
});
