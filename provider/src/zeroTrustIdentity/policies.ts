/**
 * IAM policy documents of ZeroTrustIdentity: trust policies for GitHub and Pulumi OIDC roles and
 * executor roles, the role-chaining policy, and the SPIRE server's task and execution policies.
 * Pure functions of plain values (ARNs resolved by the caller); none ever trusts `*`.
 */
import { allow, allowOnAnyResource, IamPolicyError, PolicyDocument, policyDocument, PolicyStatement, secretPolicyArns } from "../shared/iam";
import { githubActionsTrustPolicy } from "../shared/github";
import { PULUMI_ISSUER_HOST } from "../shared/oidcProvider";
import { GithubRole } from "./args";

/** The `sub` claims a GitHub role admits: exact values, and wildcard patterns (only with allowWildcardSubjects). */
export function githubSubjects(role: GithubRole): { exact: string[]; wildcard: string[] } {
    const repo = `repo:${role.repository}`;
    const all = [
        ...(role.branches ?? []).map((b) => `${repo}:ref:refs/heads/${b}`),
        ...(role.environments ?? []).map((e) => `${repo}:environment:${e}`),
        ...(role.pullRequests ? [`${repo}:pull_request`] : []),
        ...(role.subjects ?? []),
    ];
    const unique = [...new Set(all)];
    return { exact: unique.filter((s) => !s.includes("*") && !s.includes("?")), wildcard: unique.filter((s) => s.includes("*") || s.includes("?")) };
}

function refuseWildcardPrincipal(values: string[], what: string): void {
    if (values.length === 0) throw new IamPolicyError(`${what}: at least one principal is required`);
    for (const v of values) {
        if (typeof v !== "string" || v.trim() === "" || v.includes("*")) throw new IamPolicyError(`${what}: principal ${JSON.stringify(v)} is not allowed; name each principal (never *)`);
    }
}

/** Trust policy of a GitHub Actions role; wildcard subjects only with allowWildcardSubjects. */
export function githubTrustPolicy(providerArn: string, role: GithubRole): PolicyDocument {
    const subjects = githubSubjects(role);
    if (subjects.wildcard.length > 0 && !role.allowWildcardSubjects) throw new IamPolicyError(`GitHub role "${role.name}": wildcard subjects need allowWildcardSubjects`);
    return githubActionsTrustPolicy(providerArn, subjects, `GitHub role "${role.name}"`);
}

/**
 * Trust policy of a Pulumi Deployments role. The token's `aud` is the Pulumi organization and its
 * `sub` is `pulumi:deploy:org:<org>:project:<project>:stack:<stack>:operation:<op>:scope:write`;
 * the role admits the listed stacks of the project (any operation), or every stack of the project.
 */
export function pulumiTrustPolicy(providerArn: string, organization: string, project: string, stacks: string[]): PolicyDocument {
    refuseWildcardPrincipal([providerArn], `Pulumi role for project "${project}"`);
    const prefix = `pulumi:deploy:org:${organization}:project:${project}:`;
    const subjects = stacks.length ? stacks.map((s) => `${prefix}stack:${s}:operation:*`) : [`${prefix}stack:*`];
    return policyDocument([
        {
            Sid: "PulumiDeployments",
            Effect: "Allow",
            Principal: { Federated: providerArn },
            Action: ["sts:AssumeRoleWithWebIdentity"],
            Condition: {
                StringEquals: { [`${PULUMI_ISSUER_HOST}:aud`]: organization },
                StringLike: { [`${PULUMI_ISSUER_HOST}:sub`]: subjects },
            },
        },
    ]);
}

/**
 * Trust policy of an executor role: exactly the given AWS principals may assume it (and tag the
 * session, which role chaining from GitHub Actions does), with an external id when one is given.
 */
export function executorTrustPolicy(principalArns: string[], externalId?: string): PolicyDocument {
    refuseWildcardPrincipal(principalArns, "executor role");
    return policyDocument([
        {
            Sid: "TrustedCallers",
            Effect: "Allow",
            Principal: { AWS: principalArns.length === 1 ? principalArns[0] : [...principalArns] },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            ...(externalId ? { Condition: { StringEquals: { "sts:ExternalId": externalId } } } : {}),
        },
    ]);
}

/** Lets a CI role assume exactly the given roles (cross-account chaining into executor roles). */
export function assumeRolesPolicy(roleArns: string[]): PolicyDocument {
    refuseWildcardPrincipal(roleArns, "assumable roles");
    return policyDocument([allow({ sid: "AssumeExecutorRoles", actions: ["sts:AssumeRole", "sts:TagSession"], resources: roleArns })]);
}

export type UpstreamAccess =
    /** `createdSecrets`: rampart created both secrets, so their ARNs are full ARNs and are granted exactly. */
    | { type: "awssecret"; certificateSecretArn: string; keySecretArn: string; bundleSecretArn?: string; kmsKeyArn?: string; createdSecrets?: boolean }
    | { type: "aws_pca"; certificateAuthorityArn: string };

export interface SpireTaskPolicyInput {
    partition: string;
    region: string;
    accountId: string;
    /** aws_iid attestation: the accounts whose instances attest and the role assumed in each. */
    awsIid: { accountIds: string[]; assumeRoleName?: string };
    upstream?: UpstreamAccess;
    /** The bundle publisher's object. */
    bundleObject?: { bucket: string; key: string };
    /** SPIRE's `aws_kms` KeyManager (production): the trust domain its aliases are named after and the KMS key spec of its keys. */
    kmsKeyManager?: { trustDomain: string; keySpec: KmsKeySpec };
}

/** KMS key specs of SPIRE's key types (`ca_key_type`; the JWT key takes the same type). */
export type KmsKeySpec = "ECC_NIST_P256" | "ECC_NIST_P384" | "RSA_2048" | "RSA_4096";

/**
 * Alias prefix of the keys SPIRE's aws_kms KeyManager manages in a trust domain: the plugin names them
 * `alias/SPIRE_SERVER/<trust domain>/<server id>/<key id>`
 * (https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_keymanager_aws_kms.md#alias-and-key-management),
 * with the trust domain's dots written as underscores, which that page does not say (`sanitizeTrustDomain` in
 * https://github.com/spiffe/spire/blob/v1.13.3/pkg/server/plugin/keymanager/awskms/awskms.go; measured against the
 * real server in tests/spire/kms.test.ts).
 */
export function spireKmsAliasPrefix(trustDomain: string): string {
    return `alias/SPIRE_SERVER/${trustDomain.replace(/\./g, "_")}/`;
}

/**
 * What SPIRE's aws_kms KeyManager needs in the task role's (identity) policy
 * (https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_keymanager_aws_kms.md#aws-kms-access).
 * The plugin creates a new KMS key on every CA and JWT key rotation, so no key can be created in advance
 * (a pre-created key set, `key_identifier_value`, would be shared by every server task and they would
 * overwrite each other's aliases). Hence:
 * - `kms:CreateKey`, `kms:ListKeys` and `kms:ListAliases` have no resource type, AWS only grants them on `*`
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html);
 *   CreateKey is limited by condition to the asymmetric signing keys SPIRE makes: `kms:KeyUsage` SIGN_VERIFY,
 *   `kms:KeySpec` of the CA key type, `kms:KeyOrigin` AWS_KMS, single-Region
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
 * - The aliases: only under `alias/SPIRE_SERVER/<trust domain>/` in the stack's account and Region.
 * - `kms:DescribeKey` on the account's keys in the Region: the plugin's stale-key sweep describes each
 *   listed key to find its own by description (metadata only; no use of any key).
 * Everything the plugin does with a key it created (Sign, GetPublicKey, ScheduleKeyDeletion, the key side of
 * the aliases) is granted by that key's own policy ({@link spireKmsKeyPolicy}), to this role only.
 */
function kmsKeyManagerStatements(input: SpireTaskPolicyInput, keyManager: { trustDomain: string; keySpec: KmsKeySpec }): PolicyStatement[] {
    const kms = `arn:${input.partition}:kms:${input.region}:${input.accountId}`;
    return [
        allowOnAnyResource({
            sid: "KeyManagerCreateKey",
            actions: ["kms:CreateKey"],
            conditions: {
                StringEquals: { "kms:KeyUsage": "SIGN_VERIFY", "kms:KeySpec": keyManager.keySpec, "kms:KeyOrigin": "AWS_KMS" },
                Bool: { "kms:MultiRegion": "false" },
            },
        }),
        allowOnAnyResource({ sid: "KeyManagerList", actions: ["kms:ListKeys", "kms:ListAliases"] }),
        allow({
            sid: "KeyManagerAliases",
            actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
            resources: [`${kms}:${spireKmsAliasPrefix(keyManager.trustDomain)}*`],
        }),
        allow({ sid: "KeyManagerDescribeKeys", actions: ["kms:DescribeKey"], resources: [`${kms}:key/*`] }),
    ];
}

/** What the SPIRE task role may do with a key it created; PutKeyPolicy is what CreateKey's lockout safety check demands. */
export const SPIRE_KMS_KEY_ACTIONS = [
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:GetPublicKey",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:Sign",
    "kms:UpdateAlias",
];

/** What the account's administrators may do with SPIRE's keys: see them, and delete or restore them once the stack is gone. */
export const SPIRE_KMS_KEY_ADMIN_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:GetKeyPolicy",
    "kms:GetPublicKey",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
];

/**
 * The key policy SPIRE's aws_kms KeyManager attaches to each key it creates (`key_policy_file`), instead of the
 * plugin's default (`kms:*` for the server role, and `arn:aws:` written into it, which is wrong in GovCloud and
 * China). The server's role gets exactly what the plugin does with its keys; `PutKeyPolicy` is required because
 * CreateKey refuses a policy that does not let the caller change it later (the policy lockout safety check,
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-Policy). The
 * account (`:root`, that is IAM principals of the account whose own policies allow it) may read, disable, delete
 * and re-own the keys, so that keys left behind after the stack and its role are gone can still be cleaned up
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html). In a key policy,
 * `Resource: "*"` means the key itself.
 */
export function spireKmsKeyPolicy(input: { partition: string; accountId: string; taskRoleName: string }): PolicyDocument {
    return policyDocument([
        {
            Sid: "SpireServerRole",
            Effect: "Allow",
            Principal: { AWS: `arn:${input.partition}:iam::${input.accountId}:role/${input.taskRoleName}` },
            Action: [...SPIRE_KMS_KEY_ACTIONS],
            Resource: "*",
        },
        {
            Sid: "AccountAdministration",
            Effect: "Allow",
            Principal: { AWS: `arn:${input.partition}:iam::${input.accountId}:root` },
            Action: [...SPIRE_KMS_KEY_ADMIN_ACTIONS],
            Resource: "*",
        },
    ]);
}

/** ACM PCA template that issues a CA certificate with path length 0 (the aws_pca plugin's default). */
export function subordinateCaTemplateArn(partition: string): string {
    return `arn:${partition}:acm-pca:::template/SubordinateCACertificate_PathLen0/V1`;
}

/**
 * What the SPIRE server does in AWS, nothing more: aws_iid attestation (ec2:DescribeInstances,
 * which AWS only grants on `*`, and iam:GetInstanceProfile on the account's instance profiles; or,
 * with assumeRoleName, sts:AssumeRole on that role in each listed account), the upstream
 * authority's secrets (and their KMS key, through Secrets Manager) or its private CA, PutObject on
 * the bundle object, and in production what the aws_kms KeyManager needs (`kmsKeyManagerStatements`).
 */
export function spireTaskPolicy(input: SpireTaskPolicyInput): PolicyDocument {
    const statements: PolicyStatement[] = [];
    const accounts = input.awsIid.accountIds.length ? input.awsIid.accountIds : [input.accountId];
    if (input.awsIid.assumeRoleName) {
        statements.push(
            allow({
                sid: "AwsIidAssumeRole",
                actions: ["sts:AssumeRole"],
                resources: accounts.map((a) => `arn:${input.partition}:iam::${a}:role/${input.awsIid.assumeRoleName}`),
            }),
        );
    } else {
        statements.push(allowOnAnyResource({ sid: "AwsIidDescribeInstances", actions: ["ec2:DescribeInstances"] }));
        statements.push(
            allow({ sid: "AwsIidInstanceProfiles", actions: ["iam:GetInstanceProfile"], resources: [`arn:${input.partition}:iam::${input.accountId}:instance-profile/*`] }),
        );
    }
    const upstream = input.upstream;
    if (upstream?.type === "awssecret") {
        const secrets = [upstream.certificateSecretArn, upstream.keySecretArn, ...(upstream.bundleSecretArn ? [upstream.bundleSecretArn] : [])];
        statements.push(allow({ sid: "UpstreamAuthoritySecrets", actions: ["secretsmanager:GetSecretValue"], resources: upstream.createdSecrets ? secrets : secrets.flatMap((arn) => secretPolicyArns(arn)) }));
        if (upstream.kmsKeyArn) {
            statements.push(
                allow({
                    sid: "UpstreamAuthorityKey",
                    actions: ["kms:Decrypt"],
                    resources: [upstream.kmsKeyArn],
                    conditions: { StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` } },
                }),
            );
        }
    } else if (upstream?.type === "aws_pca") {
        statements.push(
            allow({ sid: "UpstreamAuthorityRead", actions: ["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate"], resources: [upstream.certificateAuthorityArn] }),
            allow({
                sid: "UpstreamAuthorityIssue",
                actions: ["acm-pca:IssueCertificate"],
                resources: [upstream.certificateAuthorityArn],
                conditions: { StringEquals: { "acm-pca:TemplateArn": subordinateCaTemplateArn(input.partition) } },
            }),
        );
    }
    if (input.kmsKeyManager) statements.push(...kmsKeyManagerStatements(input, input.kmsKeyManager));
    if (input.bundleObject) {
        statements.push(
            allow({ sid: "PublishTrustBundle", actions: ["s3:PutObject"], resources: [`arn:${input.partition}:s3:::${input.bundleObject.bucket}/${input.bundleObject.key}`] }),
        );
    }
    return policyDocument(statements);
}

export interface SpireExecutionPolicyInput {
    region: string;
    configParameterArn: string;
    configKmsKeyArn: string;
    logGroupArn: string;
    /** Secrets injected into containers (datastore credentials), as secret ARNs (full or partial, as the user gave them). */
    secretArns: string[];
    /** Full ARNs of secrets AWS or rampart created (the RDS-managed master secret): granted exactly. */
    createdSecretArns?: string[];
}

/** What ECS needs to start the SPIRE task: the config parameter (and its key), injected secrets, logs. */
export function spireExecutionPolicy(input: SpireExecutionPolicyInput): PolicyDocument {
    const statements: PolicyStatement[] = [
        allow({ sid: "ServerConfig", actions: ["ssm:GetParameters"], resources: [input.configParameterArn] }),
        allow({
            sid: "ServerConfigKey",
            actions: ["kms:Decrypt"],
            resources: [input.configKmsKeyArn],
            conditions: { StringEquals: { "kms:ViaService": `ssm.${input.region}.amazonaws.com` } },
        }),
        allow({ sid: "Logs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${input.logGroupArn}:*`] }),
    ];
    const datastoreSecrets = [...(input.createdSecretArns ?? []), ...input.secretArns.flatMap((arn) => secretPolicyArns(arn))];
    if (datastoreSecrets.length) statements.push(allow({ sid: "DatastoreSecrets", actions: ["secretsmanager:GetSecretValue"], resources: datastoreSecrets }));
    return policyDocument(statements);
}
