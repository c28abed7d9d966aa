import { describeFargateMemory, FARGATE_TASK_SIZES, isValidFargateSize } from "../shared/fargate";
import { LOG_RETENTION_DAYS, logRetentionAllowed } from "../shared/logs";
import { X509Certificate } from "node:crypto";
import { Profile } from "../shared/profile";
import { GITHUB_REPOSITORY_PATTERN, githubBranchProblem, githubEnvironmentProblem, githubSubjectProblem } from "../shared/github";
import { describeGiven, isKnown, isKnownWithItems, parseArn, problemsOf as sharedProblemsOf, ValidationProblem, Validator } from "../shared/validation";
import { GithubRole, KeyAlgorithm, SpireLogLevel, TrustRootMode, ZeroTrustIdentityArgs } from "./args";
import { workloadEntryId, WORKLOAD_NAME_MAX_LENGTH } from "./reconcile";
import { DEFAULT_SERVER_TASK_SIZE, serverStateKinds } from "./settings";
import { parseSpiffeId, pathProblem, selectorProblem, trustDomainProblem } from "./spiffe";

export const COMPONENT = "ZeroTrustIdentity";
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,40}$/;
const IAM_ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** A pinned image: a tag other than `latest`, or a digest. */
const PINNED_IMAGE = /^[a-z0-9./_:-]+(:(?!latest$)[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/;
const DURATION = /^\d+(s|m|h)$/;
/** Characters SPIRE 1.13 accepts in a custom entry ID, within its 255-character limit once prefixed. */
const WORKLOAD_NAME = new RegExp(`^[A-Za-z0-9._-]{1,${WORKLOAD_NAME_MAX_LENGTH}}$`);
/**
 * SPIRE refuses a registration entry whose SPIFFE id (or parent id) is the bare trust domain id
 * ("path is empty"); SPIFFE ID rules: https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#22-path
 */
const WORKLOAD_ID_NEEDS_PATH =
    "a SPIFFE id with a path, such as spiffe://example.org/service/api (SPIRE refuses entries for the bare trust domain id; https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md#22-path)";

const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * What is wrong with an entry's DNS name, or undefined. Covers what SPIRE 1.13 refuses (measured
 * against the server: non-ASCII, a wildcard anywhere but as the whole first label, a trailing dot,
 * empty or over-long labels, labels starting or ending with a hyphen; x509util.ValidateLabel,
 * https://github.com/spiffe/spire/blob/v1.13.3/pkg/common/x509util/dns.go) and, stricter than
 * SPIRE, anything that is not a host name (spaces, `_`, `!`: SPIRE passes them into the SVID's
 * dNSName SAN, which RFC 5280 section 4.2.1.6 restricts to preferred name syntax).
 */
/**
 * Problems with `spire.subnetIds` once its value is known: at least one subnet, and two (in two availability zones) for
 * an RDS datastore, whose DB subnet group must cover at least two AZs
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets).
 */
export function spireSubnetIdsProblems(subnetIds: unknown, rdsDatastore: boolean): ValidationProblem[] {
    const path = "spire.subnetIds";
    if (!Array.isArray(subnetIds) || subnetIds.length === 0) return [{ path, given: describeGiven(subnetIds), allowed: "a non-empty list of private subnet ids" }];
    if (rdsDatastore && subnetIds.length < 2) return [{ path, given: describeGiven(subnetIds), allowed: "an RDS datastore needs private subnets in at least two availability zones" }];
    return [];
}

/**
 * The problems one check records, as a list: the same checks judge a value known at preview (into the component's one
 * error with everything else) and a value known only when an Output resolves (`checkedWhenResolved`).
 */
export function problemsOf(check: (v: Validator) => void): ValidationProblem[] {
    return sharedProblemsOf(COMPONENT, check);
}

/** True when a value, or an item of a plain list, is an Output or a promise: the whole value is checked once it resolves. */
export function resolvesLater(value: unknown): boolean {
    return !isKnownWithItems(value);
}

const PINNED_IMAGE_EXAMPLE = { server: "ghcr.io/spiffe/spire-server:1.13.3", agent: "ghcr.io/spiffe/spire-agent:1.13.3" } as const;

/** `spire.serverImage` or `agents.agentImage`: pinned to a version tag (not `latest`) or a digest. */
export function checkImage(v: Validator, path: string, image: unknown, kind: keyof typeof PINNED_IMAGE_EXAMPLE): void {
    v.pattern(path, image, PINNED_IMAGE, `an image pinned to a version tag (not latest) or a digest, such as ${PINNED_IMAGE_EXAMPLE[kind]}`);
}

/** One of `spire.allowedCidrBlocks`: an IPv4 CIDR block (the security group rule's `cidr_ipv4`). */
export function checkCidrBlock(v: Validator, path: string, cidr: unknown): void {
    v.pattern(path, cidr, CIDR, "an IPv4 CIDR block such as 10.0.0.0/16");
}

/** `spire.nodeAttestation.awsIid.accountIds`: 12-digit account ids; more than one needs `assumeRoleName`. */
export function checkAwsIidAccountIds(v: Validator, accountIds: unknown, assumeRoleName: unknown): void {
    const path = "spire.nodeAttestation.awsIid.accountIds";
    if (accountIds === undefined) return;
    if (!Array.isArray(accountIds)) {
        v.problem(path, accountIds, "a list of 12-digit AWS account ids");
        return;
    }
    accountIds.forEach((id, i) => v.pattern(`${path}[${i}]`, id, /^\d{12}$/, "a 12-digit AWS account id"));
    if (accountIds.length > 1 && !assumeRoleName) {
        v.problem("spire.nodeAttestation.awsIid.assumeRoleName", undefined, "instances of more than one account attest only through a role the server assumes in each account");
    }
}

/**
 * One IAM ARN a role's trust policy or permissions policy names, without `*`: IAM matches no part of a principal ARN
 * with a wildcard (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html), and
 * rampart never grants `sts:AssumeRole` on a pattern. `resources` are the resource types allowed (`role/`, `user/`,
 * `root`); the account must be a 12-digit account id.
 */
function checkIamArn(v: Validator, path: string, arn: unknown, resources: readonly string[], what: string): void {
    if (arn === undefined || !isKnown(arn)) return;
    const parsed = typeof arn === "string" ? parseArn(arn) : undefined;
    const ok =
        parsed !== undefined &&
        !(arn as string).includes("*") &&
        parsed.service === "iam" &&
        /^\d{12}$/.test(parsed.account) &&
        resources.some((r) => (r.endsWith("/") ? parsed.resource.startsWith(r) && parsed.resource.length > r.length : parsed.resource === r));
    if (!ok) v.problem(path, arn, `${what}, never * (arn:<partition>:iam::<12-digit account>:${resources.map((r) => (r.endsWith("/") ? `${r}<name>` : r)).join(" or ")})`);
}

/**
 * `executorRoles[i].trustedPrincipalArns`: at least one, each the ARN of an IAM role, user or account root in a
 * 12-digit account, never `*`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
 */
export function checkTrustedPrincipalArns(v: Validator, path: string, arns: unknown): void {
    if (!Array.isArray(arns) || arns.length === 0) {
        v.problem(path, arns, "at least one IAM role ARN (never *)");
        return;
    }
    arns.forEach((arn, j) => checkIamArn(v, `${path}[${j}]`, arn, ["role/", "user/", "root"], "an IAM role, user or account root ARN"));
}

/**
 * `githubOidc.roles[i].assumableRoleArns`: IAM role ARNs without `*`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html). A list that is an
 * Output must resolve to at least one ARN: the role's assume-roles policy is planned when the list is given.
 */
export function checkAssumableRoleArns(v: Validator, path: string, arns: unknown, mustNotBeEmpty: boolean): void {
    if (arns === undefined) return;
    if (!Array.isArray(arns) || (mustNotBeEmpty && arns.length === 0)) {
        v.problem(path, arns, "at least one IAM role ARN (an Output list must not resolve to an empty list: leave the argument out instead)");
        return;
    }
    arns.forEach((arn, j) => checkIamArn(v, `${path}[${j}]`, arn, ["role/"], "an IAM role ARN"));
}

/** One of `managedPolicyArns`: an IAM policy ARN (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html). */
export function checkManagedPolicyArn(v: Validator, path: string, arn: unknown): void {
    v.arn(path, arn, { service: "iam", resourcePrefix: "policy/" });
}

export function dnsNameProblem(name: unknown): string | undefined {
    const rule = "a DNS host name such as api.internal or *.api.internal: labels of letters, digits and inner hyphens (1-63 characters), a wildcard only as the whole first label, no trailing dot, at most 253 characters";
    if (typeof name !== "string" || name.length === 0 || name.length > 253) return rule;
    const labels = name.startsWith("*.") ? name.slice(2).split(".") : name.split(".");
    return labels.every((l) => DNS_LABEL.test(l)) ? undefined : rule;
}

/**
 * Partitions SPIRE 1.13's aws_iid server attestor accepts (`partition`, default `aws`):
 * https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_nodeattestor_aws_iid.md
 */
export const AWS_IID_PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

/**
 * What is wrong with aws_iid attestation in the account and partition the component deploys to
 * (known only once the provider answers, so checked at preview through the caller identity), or
 * undefined. Without `assume_role` the server calls ec2:DescribeInstances with its own task role,
 * which only sees its own account: instances of any other listed account could never attest.
 * https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_nodeattestor_aws_iid.md
 */
export function awsIidProblems(awsIid: { accountIds: string[]; assumeRoleName?: string }, deploying: { accountId: string; partition: string }): { path: string; given: string; allowed: string }[] {
    const problems: { path: string; given: string; allowed: string }[] = [];
    const foreign = awsIid.accountIds.filter((a) => a !== deploying.accountId);
    if (foreign.length > 0 && !awsIid.assumeRoleName) {
        problems.push({
            path: "spire.nodeAttestation.awsIid.assumeRoleName",
            given: `no role name, with accountIds ${JSON.stringify(awsIid.accountIds)} while the SPIRE server runs in account ${deploying.accountId}`,
            allowed: `the name of a role in ${foreign.join(", ")} that the server assumes to describe that account's instances (SPIRE aws_iid assume_role), or only the account ${deploying.accountId} in accountIds`,
        });
    }
    if (!(AWS_IID_PARTITIONS as readonly string[]).includes(deploying.partition)) {
        problems.push({
            path: "spire.nodeAttestation",
            given: `aws_iid attestation in the partition ${deploying.partition}`,
            allowed: `a partition SPIRE's aws_iid attestor supports: ${AWS_IID_PARTITIONS.join(", ")}`,
        });
    }
    return problems;
}

/**
 * What is wrong with an existing trust root's certificate secret, read at preview (mode `existing`): SPIRE's awssecret
 * upstream authority signs with the first certificate of `cert_file_arn`, and when that is not a self-signed root,
 * `bundle_file_arn` must hold the root(s) (https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_upstreamauthority_awssecret.md).
 */
export function existingRootProblems(certificatePem: string, bundleSecretGiven: boolean): { path: string; given: string; allowed: string }[] {
    const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(certificatePem ?? "");
    if (!first) {
        return [{ path: "trustRoot.certificateSecretArn", given: "a secret without a PEM certificate", allowed: "a secret whose value is the PEM CA certificate (and optionally its chain)" }];
    }
    let certificate: X509Certificate;
    try {
        certificate = new X509Certificate(first[0]);
    } catch (e) {
        return [{ path: "trustRoot.certificateSecretArn", given: `a certificate that does not parse (${(e as Error).message})`, allowed: "a secret whose value is the PEM CA certificate" }];
    }
    if (!certificate.ca) {
        return [{ path: "trustRoot.certificateSecretArn", given: `the certificate of ${certificate.subject.replace(/\n/g, ", ")}, which is not a CA`, allowed: "a CA certificate (basic constraints CA:TRUE)" }];
    }
    const selfSigned = certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
    if (!selfSigned && !bundleSecretGiven) {
        return [
            {
                path: "trustRoot.bundleSecretArn",
                given: `nothing, while certificateSecretArn holds an intermediate CA (${certificate.subject.replace(/\n/g, ", ")}, issued by ${certificate.issuer.replace(/\n/g, ", ")})`,
                allowed: "the Secrets Manager ARN of the PEM root certificate(s) it chains to, so SPIRE serves the full chain (awssecret bundle_file_arn)",
            },
        ];
    }
    return [];
}

/** Checks every ZeroTrustIdentity argument and throws one error listing all problems. */
export function validateZeroTrustIdentityArgs(name: string, args: ZeroTrustIdentityArgs): void {
    const v = new Validator(COMPONENT, name);
    if (args === undefined || args === null) {
        v.problem("args", args, "an object with at least `stage`");
        v.throwIfInvalid();
    }
    v.stage("stage", args.stage);
    v.oneOf("profile", args.profile, Object.values(Profile));
    v.tags("tags", args.tags);

    const needsTrustDomain = Boolean(args.spire || args.workloads?.length || args.agents);
    if (args.trustDomain !== undefined) {
        const problem = trustDomainProblem(args.trustDomain);
        if (problem) v.problem("trustDomain", args.trustDomain, problem);
    } else if (needsTrustDomain) {
        v.problem("trustDomain", undefined, "a SPIFFE trust domain such as example.org is required with spire, agents or workloads");
    }

    const root = args.trustRoot;
    if (root) {
        v.oneOf("trustRoot.mode", root.mode, Object.values(TrustRootMode));
        v.oneOf("trustRoot.keyAlgorithm", root.keyAlgorithm, Object.values(KeyAlgorithm));
        v.integerInRange("trustRoot.validityYears", root.validityYears, 1, 30);
        if (root.mode === TrustRootMode.AwsPrivateCa) {
            if (v.required("trustRoot.privateCaArn", root.privateCaArn, "the ARN of an AWS Private CA (mode awsPrivateCa)")) {
                v.arn("trustRoot.privateCaArn", root.privateCaArn, { service: "acm-pca", resourcePrefix: "certificate-authority/" });
            }
        }
        if (root.crl && (root.mode ?? TrustRootMode.Generated) !== TrustRootMode.Generated) {
            v.problem("trustRoot.crl", root.crl, "a CRL is published only for mode generated (an AWS Private CA publishes its own CRL; sign one for an existing key where the key lives)", `got crl with mode "${root.mode}"`);
        }
        if (root.mode === TrustRootMode.Existing) {
            for (const key of ["certificateSecretArn", "privateKeySecretArn"] as const) {
                if (v.required(`trustRoot.${key}`, root[key], "a Secrets Manager secret ARN (mode existing)")) {
                    v.arn(`trustRoot.${key}`, root[key], { service: "secretsmanager", resourcePrefix: "secret:" });
                }
            }
            v.arn("trustRoot.bundleSecretArn", root.bundleSecretArn, { service: "secretsmanager", resourcePrefix: "secret:" });
            // https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-ARN
            v.arn("trustRoot.kmsKeyArn", root.kmsKeyArn, { service: "kms", resourcePrefix: "key/" });
        } else {
            for (const key of ["kmsKeyArn", "bundleSecretArn"] as const) {
                if (root[key] !== undefined) {
                    v.problem(`trustRoot.${key}`, root[key], "only with mode existing (the other modes create their key or use the private CA's)", `got ${key} with mode "${root.mode ?? TrustRootMode.Generated}"`);
                }
            }
        }
    }

    const spire = args.spire;
    if (spire && spire.enabled !== false) {
        const profile = args.profile ?? Profile.Ephemeral;
        const serverCount = spire.serverCount ?? (profile === Profile.Production ? 3 : 1);
        v.integerInRange("spire.serverCount", spire.serverCount, 1, 9);
        const datastore = serverStateKinds(spire, profile).datastore;
        if (profile === Profile.Production && datastore === "sqlite") {
            v.problem(
                "spire.datastore.create",
                spire.datastore?.create,
                "true (the default in production) or a spire.datastore.connectionStringSecretArn: a production SPIRE server keeps its state in PostgreSQL, because sqlite lives on the task's storage and is lost whenever ECS replaces the task (agents must then attest again); sqlite is for profile ephemeral",
                "got create false (sqlite) in production",
            );
        } else if (serverCount > 1 && datastore === "sqlite") {
            v.problem("spire.serverCount", serverCount, "more than one server needs a shared datastore: set spire.datastore.create or spire.datastore.connectionStringSecretArn");
        }
        if (spire.cpu !== undefined || spire.memory !== undefined) {
            const cpu = spire.cpu ?? DEFAULT_SERVER_TASK_SIZE.cpu[profile];
            const memory = spire.memory ?? DEFAULT_SERVER_TASK_SIZE.memory[profile];
            const doc = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size";
            // A cpu Fargate does not offer is cpu's problem; memory is judged only against a valid cpu.
            if (typeof cpu !== "number" || !FARGATE_TASK_SIZES.has(cpu)) {
                v.problem("spire.cpu", spire.cpu, `a number of CPU units Fargate offers: one of ${[...FARGATE_TASK_SIZES.keys()].join(", ")} (${doc})`);
            } else if (typeof memory !== "number" || !isValidFargateSize(cpu, memory)) {
                v.problem("spire.memory", spire.memory, `${describeFargateMemory(cpu)} (${doc})`, typeof memory === "number" ? `got memory ${memory} with cpu ${cpu}` : undefined);
            }
        }
        if (spire.logRetentionInDays !== undefined && !LOG_RETENTION_DAYS.includes(spire.logRetentionInDays)) {
            v.problem("spire.logRetentionInDays", spire.logRetentionInDays, logRetentionAllowed());
        }
        if (spire.datastore?.create && spire.datastore.connectionStringSecretArn) {
            v.problem("spire.datastore", spire.datastore, "give either create or connectionStringSecretArn, not both", "got both create and connectionStringSecretArn");
        }
        v.arn("spire.datastore.connectionStringSecretArn", spire.datastore?.connectionStringSecretArn, { service: "secretsmanager", resourcePrefix: "secret:" });
        v.required("spire.vpcId", spire.vpcId, "the VPC the SPIRE servers run in");
        // An Output (for example ServicePlatform's privateSubnetIds) is checked when it resolves (spireServer.ts).
        if (spire.subnetIds === undefined || isKnown(spire.subnetIds)) {
            spireSubnetIdsProblems(spire.subnetIds, datastore === "rds").forEach((p) => v.problem(p.path, undefined, p.allowed, p.given));
        }
        for (const key of ["caTtl", "x509SvidTtl", "jwtSvidTtl"] as const) {
            v.pattern(`spire.${key}`, spire[key], DURATION, "a duration such as 30s, 5m or 24h");
        }
        v.integerInRange("spire.telemetryPort", spire.telemetryPort, 1024, 65535);
        v.integerInRange("spire.federation.bundleEndpointPort", spire.federation?.bundleEndpointPort, 1024, 65535);
        (spire.federation?.federatesWith ?? []).forEach((f, i) => {
            const problem = trustDomainProblem(f.trustDomain ?? "");
            if (problem) v.problem(`spire.federation.federatesWith[${i}].trustDomain`, f.trustDomain, problem);
            if (typeof f.bundleEndpointUrl !== "string" || !f.bundleEndpointUrl.startsWith("https://")) {
                v.problem(`spire.federation.federatesWith[${i}].bundleEndpointUrl`, f.bundleEndpointUrl, "an https:// URL");
            }
        });
        const awsIid = spire.nodeAttestation?.awsIid;
        // An Output (or a list with an Output item) is checked when it resolves (spireServer.ts).
        if (!resolvesLater(awsIid?.accountIds)) checkAwsIidAccountIds(v, awsIid?.accountIds, awsIid?.assumeRoleName);
        v.pattern("spire.nodeAttestation.awsIid.assumeRoleName", awsIid?.assumeRoleName, IAM_ROLE_NAME, "an IAM role name");
        checkImage(v, "spire.serverImage", spire.serverImage, "server");
        v.oneOf("spire.logLevel", spire.logLevel, Object.values(SpireLogLevel));
        if (spire.allowedCidrBlocks !== undefined && !Array.isArray(spire.allowedCidrBlocks)) {
            v.problem("spire.allowedCidrBlocks", spire.allowedCidrBlocks, "a list of IPv4 CIDR blocks (each may be an Output)");
        }
        (Array.isArray(spire.allowedCidrBlocks) ? spire.allowedCidrBlocks : []).forEach((cidr, i) => checkCidrBlock(v, `spire.allowedCidrBlocks[${i}]`, cidr));
        (spire.federation?.federatesWith ?? []).forEach((f, i) => {
            if (f.endpointSpiffeId !== undefined) {
                const parsed = parseSpiffeId(f.endpointSpiffeId);
                if ("problem" in parsed) v.problem(`spire.federation.federatesWith[${i}].endpointSpiffeId`, f.endpointSpiffeId, parsed.problem);
                else if (parsed.trustDomain !== f.trustDomain) v.problem(`spire.federation.federatesWith[${i}].endpointSpiffeId`, f.endpointSpiffeId, `an id in the federated trust domain "${f.trustDomain}"`);
            }
        });
    }

    if (args.agents) {
        if (!spire || spire.enabled === false) v.problem("agents", args.agents, "agents enrol with this component's SPIRE server: enable spire", "got agents without spire");
        v.required("agents.targetTag.key", args.agents.targetTag?.key, "the EC2 tag key that selects instances");
        v.required("agents.targetTag.value", args.agents.targetTag?.value, "the EC2 tag value that selects instances");
        if (typeof args.agents.targetTag?.key === "string" && args.agents.targetTag.key.toLowerCase().startsWith("aws:")) {
            v.problem("agents.targetTag.key", args.agents.targetTag.key, "a tag key you set (not aws:)");
        }
        checkImage(v, "agents.agentImage", args.agents.agentImage, "agent");
        const installs = (["agentImage", "installScript", "release"] as const).filter((k) => args.agents![k] !== undefined);
        if (installs.length > 1) {
            v.problem("agents", args.agents, "give one of agentImage, installScript or release", `got ${installs.join(" and ")}`);
        }
        const release = args.agents.release;
        if (release !== undefined) {
            if (v.required("agents.release.url", release?.url, "the URL of a SPIRE release tarball")) {
                v.pattern("agents.release.url", release.url, /^https:\/\/[^\s'"]+\.tar\.gz$/, "an https:// URL of a SPIRE release tarball (.tar.gz), such as https://github.com/spiffe/spire/releases/download/v1.13.3/spire-1.13.3-linux-amd64-musl.tar.gz");
            }
            if (v.required("agents.release.sha256", release?.sha256, "the tarball's SHA-256 (published with the release)")) {
                v.pattern("agents.release.sha256", release.sha256, /^[0-9a-fA-F]{64}$/, "the tarball's SHA-256 as 64 hexadecimal digits (published with the release)");
            }
        }
    }

    const workloads = args.workloads ?? [];
    v.unique("workloads", workloads.map((w) => w?.name), "workload name");
    v.unique(
        "workloads",
        workloads.map((w) => w?.spiffeId ?? (w?.path && args.trustDomain ? `spiffe://${args.trustDomain}${w.path}` : undefined)),
        "SPIFFE id",
    );
    workloads.forEach((w, i) => {
        const path = `workloads[${i}]`;
        if (v.required(`${path}.name`, w.name, "a workload name")) {
            // The name becomes the SPIRE entry ID rampart.workload.<name> (reconcile.ts).
            v.pattern(`${path}.name`, w.name, WORKLOAD_NAME, `letters, digits, dots, hyphens and underscores, at most ${WORKLOAD_NAME_MAX_LENGTH} characters (it becomes the SPIRE entry ID ${workloadEntryId("<name>")})`);
        }
        if (w.spiffeId && w.path) {
            v.problem(path, w, "give spiffeId or path, not both", "got both spiffeId and path");
        } else if (w.spiffeId) {
            const parsed = parseSpiffeId(w.spiffeId);
            if ("problem" in parsed) v.problem(`${path}.spiffeId`, w.spiffeId, parsed.problem);
            else if (parsed.path === "") v.problem(`${path}.spiffeId`, w.spiffeId, WORKLOAD_ID_NEEDS_PATH);
            else if (args.trustDomain && parsed.trustDomain !== args.trustDomain) {
                v.problem(`${path}.spiffeId`, w.spiffeId, `an id in the trust domain "${args.trustDomain}"`);
            }
        } else if (w.path !== undefined) {
            const problem = w.path === "" ? "a non-empty path such as /service/api" : pathProblem(w.path);
            if (problem) v.problem(`${path}.path`, w.path, problem);
        } else {
            v.problem(path, undefined, "a spiffeId or a path", "neither spiffeId nor path was given");
        }
        if (w.parentId) {
            const parsed = parseSpiffeId(w.parentId);
            if ("problem" in parsed) v.problem(`${path}.parentId`, w.parentId, parsed.problem);
            else if (parsed.path === "") v.problem(`${path}.parentId`, w.parentId, WORKLOAD_ID_NEEDS_PATH);
        }
        if (!Array.isArray(w.selectors) || w.selectors.length === 0) {
            v.problem(`${path}.selectors`, w.selectors, "at least one selector, for example {type: \"unix\", value: \"uid:1000\"}");
        } else {
            w.selectors.forEach((s, j) => {
                const problem = selectorProblem(s?.type ?? "", s?.value ?? "");
                if (problem) v.problem(`${path}.selectors[${j}]`, `${s?.type}:${s?.value}`, problem);
            });
        }
        v.integerInRange(`${path}.x509SvidTtlSeconds`, w.x509SvidTtlSeconds, 60, 7 * 24 * 3600);
        (w.dnsNames ?? []).forEach((name, j) => {
            const problem = dnsNameProblem(name);
            if (problem) v.problem(`${path}.dnsNames[${j}]`, name, problem);
        });
    });

    const github = args.githubOidc;
    if (github) {
        v.arn("githubOidc.providerArn", github.providerArn, { service: "iam", resourcePrefix: "oidc-provider/token.actions.githubusercontent.com" });
        oidcProviderChoice(v, "githubOidc", github.providerArn, github.createProvider);
        if (!Array.isArray(github.roles) || github.roles.length === 0) v.problem("githubOidc.roles", github.roles, "at least one role");
        (github.roles ?? []).forEach((role, i) => validateGithubRole(v, role, `githubOidc.roles[${i}]`));
    }
    const pulumiOidc = args.pulumiOidc;
    if (pulumiOidc) {
        v.pattern("pulumiOidc.organization", pulumiOidc.organization, /^[A-Za-z0-9_.-]{1,100}$/, "a Pulumi Cloud organization name");
        v.arn("pulumiOidc.providerArn", pulumiOidc.providerArn, { service: "iam", resourcePrefix: "oidc-provider/api.pulumi.com/oidc" });
        oidcProviderChoice(v, "pulumiOidc", pulumiOidc.providerArn, pulumiOidc.createProvider);
        (pulumiOidc.roles ?? []).forEach((role, i) => {
            v.pattern(`pulumiOidc.roles[${i}].name`, role.name, ROLE_NAME, "a role name suffix of letters, digits and +=,.@_- up to 40 characters");
            v.pattern(`pulumiOidc.roles[${i}].roleName`, role.roleName, IAM_ROLE_NAME, "an IAM role name of letters, digits and +=,.@_- up to 64 characters");
            v.pattern(`pulumiOidc.roles[${i}].project`, role.project, /^[A-Za-z0-9_.-]{1,100}$/, "a Pulumi project name");
            (role.stacks ?? []).forEach((stack, j) => v.pattern(`pulumiOidc.roles[${i}].stacks[${j}]`, stack, /^[A-Za-z0-9_.-]{1,100}$/, "a Pulumi stack name without wildcards"));
            (role.managedPolicyArns ?? []).forEach((arn, j) => checkManagedPolicyArn(v, `pulumiOidc.roles[${i}].managedPolicyArns[${j}]`, arn));
            v.integerInRange(`pulumiOidc.roles[${i}].maxSessionHours`, role.maxSessionHours, 1, 12);
        });
    }
    (args.executorRoles ?? []).forEach((role, i) => {
        const path = `executorRoles[${i}]`;
        v.pattern(`${path}.name`, role.name, ROLE_NAME, "a role name suffix of letters, digits and +=,.@_- up to 40 characters");
        v.pattern(`${path}.roleName`, role.roleName, IAM_ROLE_NAME, "an IAM role name of letters, digits and +=,.@_- up to 64 characters");
        // An Output list is checked when it resolves (oidc.ts); Output items of a plain list are skipped here and checked then.
        if (isKnown(role.trustedPrincipalArns)) checkTrustedPrincipalArns(v, `${path}.trustedPrincipalArns`, role.trustedPrincipalArns);
        (role.managedPolicyArns ?? []).forEach((arn, j) => checkManagedPolicyArn(v, `${path}.managedPolicyArns[${j}]`, arn));
        v.integerInRange(`${path}.maxSessionHours`, role.maxSessionHours, 1, 12);
    });
    const roleNames = [
        ...(github?.roles ?? []).map((r) => r?.name),
        ...(pulumiOidc?.roles ?? []).map((r) => r?.name),
        ...(args.executorRoles ?? []).map((r) => r?.name),
    ];
    v.unique("roles", roleNames, "role name across githubOidc, pulumiOidc and executorRoles");
    v.throwIfInvalid();
}

function validateGithubRole(v: Validator, role: GithubRole, path: string): void {
    v.pattern(`${path}.name`, role.name, ROLE_NAME, "a role name suffix of letters, digits and +=,.@_- up to 40 characters");
    v.pattern(`${path}.roleName`, role.roleName, IAM_ROLE_NAME, "an IAM role name of letters, digits and +=,.@_- up to 64 characters");
    if (v.required(`${path}.repository`, role.repository, "a GitHub repository as org/repo")) {
        v.pattern(`${path}.repository`, role.repository, GITHUB_REPOSITORY_PATTERN, "a GitHub repository as org/repo, without wildcards");
    }
    const constrained = Boolean(role.branches?.length || role.environments?.length || role.pullRequests || role.subjects?.length);
    if (!constrained) {
        v.problem(path, role.name, "each role must name branches, environments, pullRequests or exact subjects, so the sub claim is always constrained", `role "${role.name}" allows any workflow`);
    }
    const wildcards = { allowed: role.allowWildcardSubjects === true, optIn: "allowWildcardSubjects" };
    (role.subjects ?? []).forEach((subject, i) => {
        const problem = githubSubjectProblem(subject, role.repository, wildcards);
        if (problem) v.problem(`${path}.subjects[${i}]`, subject, problem);
    });
    (role.branches ?? []).forEach((branch, i) => {
        const problem = githubBranchProblem(branch, wildcards);
        if (problem) v.problem(`${path}.branches[${i}]`, branch, problem);
    });
    (role.environments ?? []).forEach((environment, i) => {
        const problem = githubEnvironmentProblem(environment, wildcards);
        if (problem) v.problem(`${path}.environments[${i}]`, environment, problem);
    });
    (role.managedPolicyArns ?? []).forEach((arn, i) => checkManagedPolicyArn(v, `${path}.managedPolicyArns[${i}]`, arn));
    if (isKnown(role.assumableRoleArns)) checkAssumableRoleArns(v, `${path}.assumableRoleArns`, role.assumableRoleArns, false);
    v.integerInRange(`${path}.maxSessionHours`, role.maxSessionHours, 1, 12);
}

function oidcProviderChoice(v: Validator, path: string, providerArn: unknown, createProvider: unknown): void {
    if (createProvider !== undefined && typeof createProvider !== "boolean") v.problem(`${path}.createProvider`, createProvider, "true or false");
    if (createProvider === true && providerArn !== undefined) {
        v.problem(`${path}.createProvider`, true, "either createProvider (this stack creates the account's provider) or providerArn (an existing one), not both");
    }
}
