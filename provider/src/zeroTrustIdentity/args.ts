import * as pulumi from "@pulumi/pulumi";
import { Profile } from "../shared/profile";

/** Where the root certificate authority comes from. */
export enum TrustRootMode {
    /** A self-signed root generated once with @pulumi/tls and kept in Secrets Manager (KMS-encrypted); never rotated by later runs. */
    Generated = "generated",
    /** An AWS Private CA certificate authority given by ARN. */
    AwsPrivateCa = "awsPrivateCa",
    /** A certificate and private key already stored in Secrets Manager. */
    Existing = "existing",
}

/** Key algorithm of a generated root. */
export enum KeyAlgorithm {
    /** RSA with a 4096-bit key (skreg). */
    Rsa4096 = "rsa4096",
    /** ECDSA on curve P-384. */
    EcdsaP384 = "ecdsaP384",
}

/** SPIRE log level. */
export enum SpireLogLevel {
    Debug = "DEBUG",
    Info = "INFO",
    Warn = "WARN",
    Error = "ERROR",
}

/** The trust root (PKI) workload identities chain up to. */
export interface TrustRoot {
    /** Where the root comes from. Default: `generated`. */
    mode?: TrustRootMode;
    /** Key algorithm of a generated root. Default: `rsa4096`. */
    keyAlgorithm?: KeyAlgorithm;
    /** Validity of a generated root in years, 1-30. Default: `10`. */
    validityYears?: number;
    /** Subject common name of a generated root. Default: `<trustDomain or stage> Root CA`. */
    commonName?: string;
    /** Subject organization of a generated root. Default: none. */
    organization?: string;
    /** ARN of the AWS Private CA (mode `awsPrivateCa`). Default: none (required with mode `awsPrivateCa`). */
    privateCaArn?: pulumi.Input<string>;
    /** Secrets Manager ARN of the PEM certificate (mode `existing`): a self-signed root, or an intermediate with `bundleSecretArn`. Default: none (required with mode `existing`). */
    certificateSecretArn?: pulumi.Input<string>;
    /** Secrets Manager ARN of the PEM private key (mode `existing`). Default: none (required with mode `existing`). */
    privateKeySecretArn?: pulumi.Input<string>;
    /** Publish an initial empty CRL, signed by the generated root, at `.well-known/crl.pem` in a private bucket (skreg; mode `generated` only). Default: `false`. */
    crl?: boolean;
    /**
     * ARN of the customer-managed KMS key that encrypts the existing secrets (mode `existing`), such as
     * `arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`. The SPIRE server's task role gets
     * `kms:Decrypt` on exactly this key, only through Secrets Manager in the stack's Region (`kms:ViaService`). Leave it
     * out when the secrets use the AWS managed key `aws/secretsmanager`. Default: none.
     * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Secrets Manager ARN of PEM root certificate(s) for the trust bundle (mode `existing`): required when
     * `certificateSecretArn` holds an intermediate CA rather than a self-signed root (checked at preview), so SPIRE
     * serves the full chain (the awssecret plugin's `bundle_file_arn`) and agents bootstrap from the roots. Default: none.
     * https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_upstreamauthority_awssecret.md
     */
    bundleSecretArn?: pulumi.Input<string>;
}

/** The SPIRE server's datastore. */
export interface SpireDatastore {
    /**
     * Create an encrypted RDS PostgreSQL instance in the SPIRE subnets. Default: `true` for production (unless
     * `connectionStringSecretArn` is given), `false` for ephemeral (sqlite on the task's storage, lost whenever the task
     * is replaced; agents then attest again). Production refuses `false` without `connectionStringSecretArn`: its
     * state must survive task replacement.
     */
    create?: boolean;
    /** Secrets Manager ARN of an existing PostgreSQL connection string. Default: none. */
    connectionStringSecretArn?: pulumi.Input<string>;
}

/** Attestation of EC2 instances by their AWS instance identity document. */
export interface AwsIidAttestation {
    /**
     * Accounts whose instances may attest (12-digit ids): a list, or an Output of a list (for example account ids of
     * other stacks). They go into the SPIRE server task role's policy (`sts:AssumeRole` on `assumeRoleName` in each
     * account). Default: the stack's account. Any account other than the stack's needs `assumeRoleName`, and more than
     * one account needs it: checked at preview for known values and when an Output resolves, before the server's
     * configuration and policy are written.
     * https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_nodeattestor_aws_iid.md
     */
    accountIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Role the server assumes in each account to describe instances (SPIRE aws_iid `assume_role`;
     * the ARN is built in the stack's partition, rendered as `partition` outside `aws`). Required
     * when `accountIds` names another account. Default: none (same account).
     * https://github.com/spiffe/spire/blob/v1.13.3/doc/plugin_server_nodeattestor_aws_iid.md
     */
    assumeRoleName?: string;
}

/** How agents prove which node they run on. */
export interface SpireNodeAttestation {
    /** AWS instance identity document attestation. Default: on. */
    awsIid?: AwsIidAttestation;
    /** Also allow one-time join tokens (for hosts outside EC2). Default: `false`. */
    joinToken?: boolean;
}

/** A trust domain this one federates with. */
export interface FederatedTrustDomain {
    /** The other trust domain, for example `partner.example.org`. */
    trustDomain: string;
    /**
     * HTTPS URL of the other domain's bundle endpoint, such as `https://bundle.partner.example.org`.
     * Plain value (not an Output): its port decides the SPIRE security group's egress rules (one rule per port other
     * than 443, named after the port), and it is rendered into the server configuration checked at preview.
     * https://github.com/spiffe/spire/blob/v1.13.3/doc/spire_server.md#federation-configuration
     */
    bundleEndpointUrl: string;
    /** SPIFFE id of the other domain's bundle endpoint server (https_spiffe profile). Default: https_web profile. */
    endpointSpiffeId?: string;
}

/** SPIFFE federation. */
export interface SpireFederation {
    /** Port of this server's bundle endpoint. Default: `8443`. */
    bundleEndpointPort?: number;
    /** Trust domains to federate with. Default: none. */
    federatesWith?: FederatedTrustDomain[];
}

/** The SPIRE server, run on ECS Fargate behind an internal Network Load Balancer. */
export interface SpireServer {
    /** Run SPIRE. Default: `true` when `spire` is given. */
    enabled?: boolean;
    /** Number of servers. Above 1 needs a shared datastore. Default: `1` for ephemeral, `3` for production. */
    serverCount?: number;
    /** VPC of the servers, for example ServicePlatform's `vpcId` output. Required with `spire`. Default: none (required with the SPIRE server). */
    vpcId?: pulumi.Input<string>;
    /**
     * Private subnets of the servers and load balancer: a list, or an Output of a list such as ServicePlatform's
     * `privateSubnetIds`. At least one; at least two, in two availability zones, with `datastore.create` (an RDS DB
     * subnet group spans two AZs: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Subnets).
     * A list known at preview is checked then; an Output when it resolves. Required with `spire`.
     * Default: none (required with the SPIRE server).
     */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * IPv4 CIDR blocks agents connect from (port 8081, and the bundle endpoint port with `federation`), such as a VPC's
     * `cidrBlock` output. Each block takes an Output; a block known at preview is checked then, an Output when it
     * resolves. Plain value (not an Output): rampart creates one security group ingress rule per block (named by its
     * position in the list), so the list decides how many rules exist.
     * Default: the VPC's CIDR block.
     * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
     */
    allowedCidrBlocks?: pulumi.Input<string>[];
    /**
     * Server image, such as an ECR repository's `repositoryUrl` with a tag: pinned to a version tag (not `latest`) or a
     * `@sha256:` digest, checked at preview or, for an Output, when it resolves (before the task definition is
     * written). Default: a pinned `ghcr.io/spiffe/spire-server` release.
     * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-image
     */
    serverImage?: pulumi.Input<string>;
    /** Lifetime of the intermediate CA. Default: `24h`. */
    caTtl?: string;
    /** Default X.509 SVID lifetime. Default: `1h`. */
    x509SvidTtl?: string;
    /** Default JWT SVID lifetime. Default: `5m`. */
    jwtSvidTtl?: string;
    /**
     * Datastore. Default: production, a created RDS PostgreSQL instance; ephemeral, sqlite on the task (single server
     * only, lost with the task). Production also keeps the server's signing keys in KMS (SPIRE's `aws_kms` KeyManager);
     * ephemeral keeps them in a file on the task.
     */
    datastore?: SpireDatastore;
    /** Node attestation. Default: `aws_iid` for the stack's account. */
    nodeAttestation?: SpireNodeAttestation;
    /** Publish the trust bundle to S3 for agents and federation. Default: `true`. */
    bundlePublishing?: boolean;
    /** Federation with other trust domains. Default: none. */
    federation?: SpireFederation;
    /** Prometheus metrics port. Default: `9988`. */
    telemetryPort?: number;
    /** Log level of the servers. Default: `INFO`. */
    logLevel?: SpireLogLevel;
    /**
     * CPU units of each server task (Fargate): one of 256, 512, 1024, 2048, 4096, 8192, 16384, with a `memory` Fargate
     * accepts for it. Default: `256` for ephemeral, `512` for production.
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
     */
    cpu?: number;
    /**
     * Memory of each server task in MiB (Fargate): a size Fargate accepts with `cpu` (256: 512-2048; 512: 1024-4096;
     * 1024: 2048-8192 in steps of 1024; ...). Default: `512` for ephemeral, `1024` for production.
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
     */
    memory?: number;
    /**
     * Days the server log group (`/rampart/<name>-<stage>/spire-server`) keeps its events: a retention CloudWatch Logs
     * accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
     * Default: `7` for ephemeral, `90` for production.
     * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
     */
    logRetentionInDays?: number;
}

/** An EC2 tag selecting the instances that get a SPIRE agent. */
export interface InstanceTag {
    /** Tag key, for example `spire-agent`. */
    key: string;
    /** Tag value, for example `enabled`. */
    value: string;
}

/** SPIRE agents on EC2 instances, installed through SSM. */
export interface SpireAgents {
    /** Instances with this tag get an agent. */
    targetTag: InstanceTag;
    /**
     * Agent image the SSM document runs with Docker, such as an ECR repository's `repositoryUrl` with a tag: pinned to
     * a version tag (not `latest`) or a `@sha256:` digest, checked at preview or, for an Output, when it resolves
     * (before the document is written). Default: a pinned `ghcr.io/spiffe/spire-agent` release.
     */
    agentImage?: pulumi.Input<string>;
    /** Shell script that installs the agent binary, used instead of the image. Default: none. */
    installScript?: string;
    /**
     * Install the agent from a SPIRE release tarball instead of Docker (Amazon Linux 2023 and
     * Ubuntu/Debian AMIs have no Docker): the SSM document downloads `url` with curl or wget,
     * refuses it unless its SHA-256 is `sha256`, installs `spire-<version>/bin/spire-agent` at
     * /opt/spire/bin/spire-agent and runs it under systemd. Give the checksum published with the
     * release (https://github.com/spiffe/spire/releases), for example for
     * `https://github.com/spiffe/spire/releases/download/v1.13.3/spire-1.13.3-linux-amd64-musl.tar.gz`.
     * Exclusive with `agentImage` and `installScript`. Default: none (Docker).
     */
    release?: AgentRelease;
}

/** A pinned SPIRE release tarball and its checksum. */
export interface AgentRelease {
    /** https:// URL of a `spire-<version>-linux-<arch>[-musl].tar.gz` release tarball. */
    url: string;
    /** Its SHA-256, 64 hexadecimal digits. */
    sha256: string;
}

/** A SPIRE selector, for example type `unix`, value `path:/usr/bin/metald`. */
export interface WorkloadSelector {
    /** Selector type: `unix`, `systemd`, `docker`, `k8s` or `aws_iid`. */
    type: string;
    /** Selector value, for example `uid:1000` or `id:metald.service`. */
    value: string;
}

/** A workload registration entry. */
export interface Workload {
    /**
     * Unique name of the workload: letters, digits, `.`, `_` and `-`, at most 238 characters. Its
     * SPIRE registration entry has the ID `rampart.workload.<name>`; entries with the `rampart.`
     * prefix are reconciled to the declared set on every server start (others are left alone).
     */
    name: string;
    /** Full SPIFFE id in this trust domain. Give this or `path`. Default: none. */
    spiffeId?: string;
    /** Path joined to the trust domain, for example `/service/metald`. Default: none. */
    path?: string;
    /** Parent SPIFFE id. Default: every agent of this trust domain, through a node alias. */
    parentId?: string;
    /** Selectors the workload must match. */
    selectors: WorkloadSelector[];
    /** X.509 SVID lifetime in seconds. Default: the server's `x509SvidTtl`. */
    x509SvidTtlSeconds?: number;
    /**
     * DNS names put into the SVID: host names (labels of letters, digits and inner hyphens, a
     * wildcard only as the whole first label, no trailing dot, at most 253 characters).
     * Default: none.
     */
    dnsNames?: string[];
}

/** An IAM role federated to an OIDC identity provider. */
export interface GithubRole {
    /** Role name suffix, unique in the component. */
    name: string;
    /** Exact IAM role name, for example `GitHubActionsOIDCRole`. Default: `<component>-<stage>-<name>`. */
    roleName?: string;
    /** Repository as `org/repo`. */
    repository: string;
    /** Branches that may assume the role (`repo:<repository>:ref:refs/heads/<branch>`): git branch names; `?` never, `*` only with `allowWildcardSubjects`. Default: none. */
    branches?: string[];
    /** GitHub environments that may assume the role (`repo:<repository>:environment:<name>`): at most 255 characters, no `:` or `?`. Default: none. */
    environments?: string[];
    /** Pull-request workflows may assume the role. Default: `false`. */
    pullRequests?: boolean;
    /** Exact `sub` claims of `repository` (`repo:<repository>:<context>`, for example `repo:org/app:ref:refs/tags/v1.2.3`); a subject naming another repository is refused. Default: none. */
    subjects?: string[];
    /** Allow `*` within this repository's subjects and branch or environment names, such as `repo:org/app:ref:refs/heads/release-*` (produces a warning); never across repositories. Default: `false`. */
    allowWildcardSubjects?: boolean;
    /**
     * ARNs of managed policies to attach (`arn:<partition>:iam::<account or aws>:policy/...`); each ARN takes an Output
     * (for example a policy created in the same program), checked at preview when known and when it resolves
     * otherwise. Plain value (not an Output): rampart creates one policy attachment per ARN, named by its position in
     * the list, so the list decides how many attachments exist. Default: none.
     * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
     */
    managedPolicyArns?: pulumi.Input<string>[];
    /** Inline policies as JSON documents, by name. Default: none. */
    inlinePolicies?: { [name: string]: pulumi.Input<string> };
    /**
     * ARNs of the roles this role may assume (`sts:AssumeRole` and `sts:TagSession` on exactly these; cross-account
     * chaining to executor roles): a list, or an Output of a list such as another ZeroTrustIdentity's `roleArns`
     * values. Each must be an IAM role ARN (`arn:<partition>:iam::<12-digit account>:role/<name>`) without `*`; checked
     * at preview for known values and when an Output resolves. An Output must resolve to at least one ARN.
     * Default: none.
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html
     */
    assumableRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
    /** Maximum session length in hours, 1-12. Default: `1`. */
    maxSessionHours?: number;
}

/** Keyless GitHub Actions access to AWS. */
export interface GithubOidc {
    /**
     * The GitHub OIDC provider the roles trust. IAM keeps one provider per issuer URL per account
     * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html).
     * Default: the account's provider for `https://token.actions.githubusercontent.com`, looked up at preview; if the account has
     * none (or it lacks the client id `sts.amazonaws.com`) the deployment fails naming this argument and `createProvider`.
     */
    providerArn?: pulumi.Input<string>;
    /**
     * Create the account's GitHub OIDC provider in this stack: set it in ONE long-lived stack per account (the account bootstrap);
     * a second provider for the same URL fails with `EntityAlreadyExists`, and stages that look it up lose access when the stack
     * that created it is destroyed. Not allowed together with `providerArn`.
     * Default: `false`.
     */
    createProvider?: boolean;
    /** Roles to create. */
    roles: GithubRole[];
}

/** An IAM role for Pulumi Deployments, scoped by project and stack. */
export interface PulumiRole {
    /** Role name suffix, unique in the component. */
    name: string;
    /** Exact IAM role name. Default: `<component>-<stage>-<name>`. */
    roleName?: string;
    /** Pulumi project allowed. */
    project: string;
    /** Pulumi stacks allowed. Default: every stack of the project. */
    stacks?: string[];
    /**
     * ARNs of managed policies to attach (`arn:<partition>:iam::<account or aws>:policy/...`); each ARN takes an Output
     * (for example a policy created in the same program), checked at preview when known and when it resolves
     * otherwise. Plain value (not an Output): rampart creates one policy attachment per ARN, named by its position in
     * the list, so the list decides how many attachments exist. Default: none.
     * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
     */
    managedPolicyArns?: pulumi.Input<string>[];
    /** Inline policies as JSON documents, by name. Default: none. */
    inlinePolicies?: { [name: string]: pulumi.Input<string> };
    /** Maximum session length in hours, 1-12. Default: `1`. */
    maxSessionHours?: number;
}

/** Keyless Pulumi Deployments access to AWS. */
export interface PulumiOidc {
    /** Pulumi Cloud organization. */
    organization: string;
    /**
     * The Pulumi Cloud OIDC provider the roles trust; its client ids must include `organization`.
     * Default: the account's provider for `https://api.pulumi.com/oidc`, looked up at preview; if the account has none (or it
     * lacks the organization as a client id) the deployment fails naming this argument and `createProvider`.
     */
    providerArn?: pulumi.Input<string>;
    /**
     * Create the account's Pulumi Cloud OIDC provider (client id: `organization`) in this stack; once per account, as for
     * `githubOidc.createProvider`. Not allowed together with `providerArn`.
     * Default: `false`.
     */
    createProvider?: boolean;
    /** Roles to create. */
    roles: PulumiRole[];
}

/** A per-account deploy role other accounts' CI roles assume (Unkey's executor). */
export interface ExecutorRole {
    /** Role name suffix, unique in the component. */
    name: string;
    /** Exact IAM role name, so other accounts can name it before it exists (Unkey's `UnkeyPulumiAWSExecutor`). Default: `<component>-<stage>-<name>`. */
    roleName?: string;
    /**
     * ARNs of the IAM principals allowed to assume this role (its trust policy's `Principal.AWS`), such as another
     * account's CI role or ServicePlatform's CI role ARN: a list, or an Output of a list. At least one; each an IAM
     * ARN of a role, user or account root in a 12-digit account (`arn:<partition>:iam::<account>:role/<name>`,
     * `...:user/<name>`, `...:root`), never `*` (IAM does not match part of a principal ARN with a wildcard). Checked
     * at preview for known values and when an Output resolves, before the trust policy is written.
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
     */
    trustedPrincipalArns: pulumi.Input<pulumi.Input<string>[]>;
    /** External id the callers must present. Default: none. */
    externalId?: pulumi.Input<string>;
    /**
     * ARNs of managed policies to attach (`arn:<partition>:iam::<account or aws>:policy/...`); each ARN takes an Output
     * (for example a policy created in the same program), checked at preview when known and when it resolves
     * otherwise. Plain value (not an Output): rampart creates one policy attachment per ARN, named by its position in
     * the list, so the list decides how many attachments exist. Default: none.
     * https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
     */
    managedPolicyArns?: pulumi.Input<string>[];
    /** Inline policies as JSON documents, by name. Default: none. */
    inlinePolicies?: { [name: string]: pulumi.Input<string> };
    /** Maximum session length in hours, 1-12. Default: `1`. */
    maxSessionHours?: number;
}

/** Arguments of ZeroTrustIdentity. */
export interface ZeroTrustIdentityArgs {
    /** Stage name: lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters. */
    stage: string;
    /** Ephemeral or production defaults. Default: `ephemeral`. */
    profile?: Profile;
    /** Tags added to every taggable resource; they win over rampart's standard tags. Default: none (rampart's standard tags only). */
    tags?: { [key: string]: string };
    /** SPIFFE trust domain, for example `prod.unkey.cloud`. Required with `spire` or `workloads`. Default: none. */
    trustDomain?: string;
    /** The root certificate authority. Default: none, or a generated root when `spire` is enabled (its upstream authority). */
    trustRoot?: TrustRoot;
    /** The SPIRE server. Default: none. */
    spire?: SpireServer;
    /** SPIRE agents on EC2, enrolled with this component's SPIRE server (needs `spire`). Default: none. */
    agents?: SpireAgents;
    /** Workload registration entries. Default: none. */
    workloads?: Workload[];
    /** GitHub Actions OIDC federation. Default: none. */
    githubOidc?: GithubOidc;
    /** Pulumi Deployments OIDC federation. Default: none. */
    pulumiOidc?: PulumiOidc;
    /** Deploy roles assumed from other accounts. Default: none. */
    executorRoles?: ExecutorRole[];
    /**
     * Keep the data stores (the root CA's KMS key and secrets, the publication bucket, the SPIRE datastore) when the
     * stack is destroyed. Only adds: \`false\` leaves a \`retainOnDelete\` option given to the component in force.
     * Default: \`false\` for ephemeral, \`true\` for production.
     */
    retainOnDelete?: boolean;
    /**
     * Set Pulumi's \`protect\` option on the data stores (the root CA's KMS key and secrets, the publication bucket, the SPIRE datastore): \`pulumi destroy\`, and any change that would
     * replace or delete one of them, fails until this is turned off and applied with \`pulumi up\`
     * (https://www.pulumi.com/docs/iac/concepts/options/protect/). Only adds protection: \`false\` leaves a \`protect\`
     * option given to the component in force. Default: \`false\` for ephemeral, \`true\` for production.
     */
    protectDataStores?: boolean;
}
