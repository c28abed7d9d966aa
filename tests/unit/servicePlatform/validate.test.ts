import { describe, expect, it } from "vitest";
import { Compute, NatGateways, ServicePlatformArgs } from "../../../provider/src/servicePlatform/args";
import { Profile } from "../../../provider/src/shared/profile";
import { classifySecret } from "../../../provider/src/servicePlatform/validate";
import { problems } from "./fixtures";

const skreg: ServicePlatformArgs = {
    stage: "dev",
    services: [
        { name: "api", cpu: 512, memory: 1024, port: 8080, public: true },
        { name: "worker", cpu: 256, memory: 512 },
    ],
};

describe("ServicePlatform validation", () => {
    it("accepts skreg's api and worker", () => {
        expect(problems(skreg)).toEqual([]);
    });

    it("rejects a bad stage", () => {
        expect(problems({ ...skreg, stage: "Dev Stage" })).toEqual([
            'stage: got "Dev Stage"; lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters (^[a-z0-9]+(-[a-z0-9]+)*$)',
        ]);
    });

    it("rejects a stage that AWS names could only carry cleaned (`pr-`, `-`, `pr--1`)", () => {
        for (const stage of ["pr-", "-", "pr--1", "-pr"]) expect(problems({ ...skreg, stage }), stage).toEqual([expect.stringMatching(new RegExp(`^stage: got "${stage}"; lowercase letters, digits and single hyphens`))]);
    });

    it("rejects secretsKmsKeyArns that are not KMS key ARNs, naming each", () => {
        const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        expect(problems({ ...skreg, secretsKmsKeyArns: [key] })).toEqual([]);
        expect(problems({ ...skreg, secretsKmsKeyArns: ["arn:aws:kms:us-east-1:123456789012:alias/app", "1234abcd-12ab-34cd-56ef-1234567890ab", key, key] })).toEqual([
            'secretsKmsKeyArns[0]: got "arn:aws:kms:us-east-1:123456789012:alias/app"; a KMS key ARN, arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (an alias ARN does not authorize kms:Decrypt)',
            'secretsKmsKeyArns[1]: got "1234abcd-12ab-34cd-56ef-1234567890ab"; a KMS key ARN, arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (an alias ARN does not authorize kms:Decrypt)',
            `secretsKmsKeyArns[3]: got "${key}"; each key must be unique; secretsKmsKeyArns[2] already uses it`,
        ]);
    });

    it("rejects Secrets Manager ARNs of the wrong shape wherever a secret is referenced", () => {
        const noRegion = "arn:aws:secretsmanager::123456789012:secret:app/db";
        const shortAccount = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db:password";
        const found = problems({
            ...skreg,
            services: [{ name: "api", secrets: { A: noRegion }, secretArns: { B: shortAccount } }],
            observability: { otelEndpointSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:has space" },
        });
        expect(found.map((p) => p.split(";")[0])).toEqual([
            `services[0].secretArns.B: got "${shortAccount}"`,
            `services[0].secrets.A: got "${noRegion}"`,
            'observability.otelEndpointSecretArn: got "arn:aws:secretsmanager:us-east-1:123456789012:secret:has space"',
        ]);
        for (const p of found) expect(p).toContain("; a Secrets Manager secret ARN, arn:<partition>:secretsmanager:<region>:<12-digit account>:secret:<name>");
    });

    it("rejects a CIDR that is not private, not canonical, or too small", () => {
        expect(problems({ ...skreg, network: { cidrBlock: "8.8.0.0/16" } })[0]).toMatch(/^network\.cidrBlock: got "8\.8\.0\.0\/16"; a private block/);
        expect(problems({ ...skreg, network: { cidrBlock: "10.0.0.5/16" } })[0]).toMatch(/^network\.cidrBlock: .*first address/);
        expect(problems({ ...skreg, network: { cidrBlock: "10.0.0.0/26" } })[0]).toMatch(/^network\.cidrBlock: got "10\.0\.0\.0\/26"; a prefix from \/16 to \/24/);
        expect(problems({ ...skreg, network: { cidrBlock: "10.0.0.0/8" } })).toHaveLength(1);
    });

    it("rejects an availability zone count outside 1-6", () => {
        expect(problems({ ...skreg, network: { availabilityZoneCount: 7 } })).toEqual(["network.availabilityZoneCount: got 7; an integer from 1 to 6"]);
        expect(problems({ ...skreg, network: { availabilityZoneCount: 0 } })).toHaveLength(1);
    });

    it("accepts a PostgreSQL major version RDS offers or a minor of one, and rejects anything else with the offered majors", () => {
        for (const engineVersion of ["17", "16", "18", "17.6", "13.20"]) expect(problems({ ...skreg, database: { engineVersion } }), engineVersion).toEqual([]);
        const allowed = "a PostgreSQL major version RDS offers (12, 13, 14, 15, 16, 17, 18), or a minor version of one such as 17.6 (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html)";
        for (const engineVersion of ["11", "11.22", "19", "17.6.1", "17.", "v17", "latest", ""]) {
            expect(problems({ ...skreg, database: { engineVersion } }), engineVersion).toEqual([`database.engineVersion: got "${engineVersion}"; ${allowed}`]);
        }
        expect(problems({ ...skreg, database: { engineVersion: 17 as unknown as string } })).toEqual([`database.engineVersion: got 17; a string, for example "17" or "17.6" (quote it in YAML), ${allowed}`]);
    });

    it("rejects duplicate service names", () => {
        expect(problems({ ...skreg, services: [{ name: "api" }, { name: "api" }] })).toEqual([
            'services[1]: got "api"; each service name must be unique; services[0] already uses it',
        ]);
    });

    it("rejects cpu/memory pairs Fargate refuses", () => {
        expect(problems({ ...skreg, services: [{ name: "api", cpu: 256, memory: 4096 }] })).toEqual([
            "services[0].memory: got memory 4096 with cpu 256; with cpu 256, memory must be one of 512, 1024, 2048 MiB",
        ]);
    });

    it("blames cpu, not memory, for a cpu Fargate or App Runner does not offer, and never lists the given value as allowed", () => {
        const fargateCpus = "a number of CPU units Fargate offers: one of 256, 512, 1024, 2048, 4096, 8192, 16384";
        expect(problems({ ...skreg, services: [{ name: "api", cpu: "512" as unknown as number, memory: 1024 }] })).toEqual([`services[0].cpu: got "512"; ${fargateCpus}`]);
        expect(problems({ ...skreg, services: [{ name: "api", cpu: 300, memory: 1024 }] })).toEqual([`services[0].cpu: got 300; ${fargateCpus}`]);
        expect(problems({ ...skreg, services: [{ name: "api", cpu: 512, memory: "1024" as unknown as number }] })).toEqual([
            'services[0].memory: got "1024"; with cpu 512, memory must be one of 1024, 2048, 3072, 4096 MiB',
        ]);
        const appRunner = (service: object) => problems({ ...skreg, compute: Compute.AppRunner, services: [{ name: "api", ...service }] });
        expect(appRunner({ cpu: "512", memory: 1024 })).toEqual([
            'services[0].cpu: got "512"; a number of CPU units App Runner offers: one of 256, 512, 1024, 2048, 4096 (App Runner sizes: 256/512, 256/1024, 512/1024, 1024/2048-4096, 2048/4096-6144, 4096/8192-12288)',
        ]);
        expect(appRunner({ cpu: 512, memory: 2048 })).toEqual([
            "services[0].memory: got memory 2048 with cpu 512; App Runner sizes: 256/512, 256/1024, 512/1024, 1024/2048-4096, 2048/4096-6144, 4096/8192-12288",
        ]);
    });

    it("rejects two public services without distinct routing", () => {
        const args: ServicePlatformArgs = { ...skreg, services: [{ name: "api", public: true }, { name: "web", public: true }] };
        expect(problems(args)[0]).toMatch(/^services\[1\]: public service "web" has no pathPatterns or hostnames; several public services need distinct routing/);
        args.services[1].pathPatterns = ["/web/*"];
        expect(problems(args)).toEqual([]);
        args.services[0].pathPatterns = ["/web/*"];
        expect(problems(args)[0]).toMatch(/^services\[1\]: route "path \/web\/\*"; routes must be distinct; services\[0\] already has it/);
    });

    it("rejects useDatabase without database and useCache without cache", () => {
        expect(problems({ ...skreg, services: [{ name: "api", useDatabase: true, useCache: true }] })).toEqual([
            "services[0].useDatabase: got true; needs a `database` argument on the platform",
            "services[0].useCache: got true; needs a `cache` argument on the platform",
        ]);
        expect(problems({ ...skreg, database: {}, cache: {}, services: [{ name: "api", useDatabase: true, useCache: true }] })).toEqual([]);
    });

    it("rejects a secret that is neither an ARN nor a value", () => {
        const out = problems({
            ...skreg,
            services: [{ name: "api", secrets: { EMPTY: "", BAD_ARN: "arn:aws:s3:::bucket", OK_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf", OK_VALUE: "s3cr3t" } }],
        });
        expect(out).toHaveLength(2);
        expect(out[0]).toMatch(/^services\[0\]\.secrets\.EMPTY: got an empty value; a Secrets Manager secret ARN/);
        expect(out[1]).toMatch(/^services\[0\]\.secrets\.BAD_ARN: got "arn:aws:s3:::bucket"; /);
        expect(classifySecret("arn:aws:ssm:us-east-1:123456789012:parameter/app/db")).toBe("ssmParameterArn");
    });

    it("refuses secret-looking plain environment variables", () => {
        expect(problems({ ...skreg, services: [{ name: "api", environment: { DB_PASSWORD: "x", LOG_LEVEL: "info" } }] })[0]).toMatch(
            /^services\[0\]\.environment\.DB_PASSWORD: a plain value for "DB_PASSWORD"; this looks like a secret/,
        );
    });

    it("rejects App Runner with features it lacks", () => {
        const out = problems({
            ...skreg,
            compute: Compute.AppRunner,
            network: { natGateways: NatGateways.Instance },
            services: [{ name: "api", command: ["serve"], spot: true, pathPatterns: ["/x"], cpu: 512, memory: 1024, autoscaling: { min: 1, max: 2, cpuTarget: 50 } }],
        });
        expect(out.map((l) => l.split(":")[0])).toEqual([
            "services[0].command",
            "services[0].spot",
            "services[0].pathPatterns",
            "services[0].autoscaling",
        ]);
    });

    it("lets App Runner use a NAT instance and several public services without routes (each has its own URL)", () => {
        expect(
            problems({
                ...skreg,
                compute: Compute.AppRunner,
                network: { natGateways: NatGateways.Instance },
                services: [
                    { name: "api", public: true },
                    { name: "web", public: true },
                ],
            }),
        ).toEqual([]);
    });

    it("rejects App Runner images outside ECR and instance counts App Runner refuses", () => {
        const out = problems({
            ...skreg,
            compute: Compute.AppRunner,
            services: [
                { name: "api", image: "ghcr.io/org/api:1", desiredCount: 0 },
                { name: "web", image: "public.ecr.aws/nginx/nginx:1.27", autoscaling: { min: 0, max: 30, requestsPerTarget: 50 }, public: true },
                { name: "job", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/job:1" },
            ],
        });
        expect(out).toEqual([
            "services[0].desiredCount: got 0; an integer from 1 to 25",
            'services[0].image: got "ghcr.io/org/api:1"; App Runner pulls from Amazon ECR or ECR Public only (<account>.dkr.ecr.<region>.amazonaws.com/... or public.ecr.aws/...)',
            "services[1].autoscaling.min: got 0; an integer from 1 to 25",
            "services[1].autoscaling.max: got 30; an integer from 1 to 25",
        ]);
    });

    it("rejects hostnames outside domain.name and hostnames without a domain", () => {
        const args: ServicePlatformArgs = {
            ...skreg,
            domain: { name: "api.example.com", hostedZoneId: "Z123" },
            services: [{ name: "api", public: true, hostnames: ["api.example.com", "v2.api.example.com", "evil.com", "xapi.example.com"] }],
        };
        expect(problems(args)).toEqual([
            'services[0].hostnames[2]: got "evil.com"; a host name equal to or under the domain "api.example.com"',
            'services[0].hostnames[3]: got "xapi.example.com"; a host name equal to or under the domain "api.example.com"',
        ]);
        expect(problems({ ...skreg, services: [{ name: "api", hostnames: ["a.b.com"] }] })[0]).toMatch(/hostnames need a `domain`/);
    });

    it("reports every problem at once", () => {
        const out = problems({ stage: "BAD", network: { availabilityZoneCount: 9 }, services: [{ name: "a", cpu: 256, memory: 8192 }, { name: "a" }] });
        expect(out.map((l) => l.split(":")[0])).toEqual(["stage", "network.availabilityZoneCount", "services[1]", "services[0].memory"]);
    });

    it("rejects missing services, bad autoscaling and a malformed CI repository", () => {
        expect(problems({ stage: "dev", services: [] })).toEqual(["services: got []; a list of at least one service"]);
        const out = problems({
            ...skreg,
            services: [{ name: "api", autoscaling: { min: 5, max: 2, requestsPerTarget: 100 } }],
            ci: { githubRepository: "org/*", subjects: ["repo:org/*:ref:refs/heads/main"] },
        });
        expect(out.map((l) => l.split(":")[0])).toEqual(["services[0].autoscaling", "services[0].autoscaling.requestsPerTarget", "ci.githubRepository", "ci.subjects[0]"]);
    });

    it("refuses CI subjects of another repository and branch names GitHub never sends", () => {
        const out = problems({ ...skreg, ci: { githubRepository: "dymocaptin/skreg", subjects: ["repo:attacker/skreg:ref:refs/heads/main", "repo:dymocaptin/skreg:environment:dev"], branches: ["main?"] } });
        expect(out).toEqual([
            'ci.subjects[0]: got "repo:attacker/skreg:ref:refs/heads/main"; a subject of the repository dymocaptin/skreg (repo:dymocaptin/skreg:...): a subject naming another repository would let its workflows in',
            'ci.branches[0]: got "main?"; a git branch name: no spaces, control characters or any of ~ ^ : ? [ \\',
        ]);
    });

    it("rejects a production platform with public Fargate services and no domain", () => {
        expect(problems({ ...skreg, profile: Profile.Production })).toEqual([
            "domain: nothing was given for a production platform with public services; the production profile serves public services over HTTPS only: give `domain` (a name in a Route 53 hosted zone) for the load balancer's certificate",
        ]);
        expect(problems({ ...skreg, profile: Profile.Production, domain: { name: "api.skreg.dev", hostedZoneId: "Z1" } })).toEqual([]);
        expect(problems({ ...skreg, profile: Profile.Production, services: [{ name: "worker" }] })).toEqual([]);
    });

    it("needs two zones for a load balancer or a database", () => {
        expect(problems({ ...skreg, network: { availabilityZoneCount: 1 } })).toEqual([
            "network.availabilityZoneCount: got 1; at least 2 availability zones: the load balancer must span two zones",
        ]);
        expect(problems({ ...skreg, database: {}, services: [{ name: "worker" }], network: { availabilityZoneCount: 1 } })[0]).toMatch(/the database subnet group must span two zones/);
        expect(problems({ ...skreg, services: [{ name: "worker" }], network: { availabilityZoneCount: 1 } })).toEqual([]);
        const existing = { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"], privateSubnetIds: ["subnet-b", "subnet-c"] };
        expect(problems({ ...skreg, network: { existingVpc: existing } })).toEqual([
            "network.existingVpc.publicSubnetIds: got 1 subnet; at least 2 availability zones: the load balancer must span two zones",
        ]);
    });

    it("checks secretArns, egress ports, image tags and variable names", () => {
        const out = problems({
            ...skreg,
            database: {},
            services: [
                {
                    name: "api",
                    useDatabase: true,
                    egressPorts: [443, 70000],
                    imageTag: "bad tag",
                    environment: { DB_HOST: "x", MODE: "a" },
                    secrets: { MODE: "value" },
                    secretArns: { TOKEN: "not-an-arn", PARAM: "arn:aws:ssm:us-east-1:123456789012:parameter/app/p" },
                },
                { name: "web", image: "nginx:1", imageTag: "v1" },
            ],
        });
        expect(out).toEqual([
            "services[0].egressPorts[1]: got 70000; an integer from 1 to 65535",
            'services[0].imageTag: got "bad tag"; an image tag (letters, digits, _ . -, up to 128) or a sha256: digest (^(sha256:[a-f0-9]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$)',
            "services[0].secretArns.TOKEN: got a value that is not an ARN; a Secrets Manager secret ARN or an SSM parameter ARN (secret values go in `secrets`)",
            'services[0].environment.DB_HOST: got "DB_HOST"; DB_HOST is set by rampart (useDatabase); choose another name',
            'services[0].secrets.MODE: got "MODE"; each variable is set once; services[0].environment.MODE already sets it',
            'services[1].imageTag: got "v1"; imageTag picks the tag in the repository rampart creates; with `image`, put the tag in the image',
        ]);
    });

    it("limits routes per service, checks host names and OTEL ARNs, retention and the KMS key", () => {
        const out = problems({
            ...skreg,
            domain: { name: "example.com", hostedZoneId: "Z1" },
            services: [{ name: "api", public: true, pathPatterns: ["/a", "/b", "/c", "/d"], hostnames: ["a.example.com", "B.example.com"] }],
            observability: { logRetentionDays: 10, otelEndpointSecretArn: "https://otel.example.com", otelHeadersSecretArn: "arn:aws:ssm:us-east-1:123456789012:parameter/otel" },
            kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/app",
        });
        expect(out).toEqual([
            'services[0].hostnames[1]: got "B.example.com"; a lowercase host name, optionally starting with *.',
            "services[0]: got 6 path patterns and host names; at most 5 in total (one load balancer rule evaluates at most 5 values)",
            "observability.logRetentionDays: got 10; a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
            "observability.otelEndpointSecretArn: got a value that is not an ARN; a Secrets Manager secret ARN or an SSM parameter ARN",
            'kmsKeyArn: got "arn:aws:kms:us-east-1:123456789012:alias/app"; a kms ARN for "key/..."',
        ]);
    });

    it("rejects a CI role when every service brings its own image (nothing to push to)", () => {
        expect(problems({ ...skreg, services: [{ name: "api", image: "nginx:1" }], ci: { githubRepository: "org/repo" } })).toEqual([
            "ci: every service gives its own image; the CI role pushes to the ECR repositories rampart creates for services without `image`; leave `image` out of at least one service, or drop `ci`",
        ]);
    });
});
