// TypeScript twin of examples/zero-trust-go/main.go: Unkey's workload and CI identity as one
// ZeroTrustIdentity, built from the component class directly (no plugin in between).
//
// KEEP IN LOCKSTEP with examples/zero-trust-go/main.go: same component name, same arguments, same
// config keys and defaults, same exports. The end-to-end tests deploy both and require the same
// child resources; change one, change the other.
import * as pulumi from "@pulumi/pulumi";
import { KeyAlgorithm, Profile, TrustRootMode, ZeroTrustIdentity } from "@rampart-iac/pulumi-rampart";

// The services of Unkey's SPIFFE/SPIRE plan, each installed as /usr/local/bin/<name> and run by
// systemd as <name>.service.
const services = ["metald", "billaged", "builderd", "assetmanagerd"];

// The executor roles of the accounts the deploy role deploys into (Unkey's canary and production).
const executorRoleArns = ["arn:aws:iam::222222222222:role/UnkeyPulumiAWSExecutor", "arn:aws:iam::333333333333:role/UnkeyPulumiAWSExecutor"];

// The example creates no VPC: the network and the management CI role are required config.
const config = new pulumi.Config();
const nonEmpty = (list: string[] | undefined) => (list?.length ? list : undefined);
const stage = config.get("stage") || pulumi.getStack();
const profile = (config.get("profile") || undefined) as Profile | undefined; // the component validates the value
const vpcId = config.require("vpcId");
const subnetIds = config.requireObject<string[]>("subnetIds");
const allowedCidrBlocks = nonEmpty(config.getObject<string[]>("allowedCidrBlocks")) ?? ["10.0.0.0/16"];
const managementCiRoleArn = config.require("managementCiRoleArn");
const existingGithubOidcProviderArn = config.get("githubOidcProviderArn") || undefined;

const identity = new ZeroTrustIdentity("unkey", {
    stage,
    profile,
    trustDomain: "unkey.cloud",
    trustRoot: { mode: TrustRootMode.Generated, keyAlgorithm: KeyAlgorithm.Rsa4096, organization: "Unkey", crl: true },
    spire: {
        vpcId,
        subnetIds,
        allowedCidrBlocks,
        // Production runs three servers, which share an RDS PostgreSQL datastore.
        ...(profile === Profile.Production ? { datastore: { create: true } } : {}),
    },
    agents: { targetTag: { key: "spire-agent", value: "enabled" } },
    workloads: services.map((name) => ({
        name,
        path: `/service/${name}`,
        // Both selectors must match: the binary's path and its systemd unit (`id:`, not `unit:`).
        selectors: [
            { type: "unix", value: `path:/usr/local/bin/${name}` },
            { type: "systemd", value: `id:${name}.service` },
        ],
    })),
    githubOidc: {
        ...(existingGithubOidcProviderArn ? { providerArn: existingGithubOidcProviderArn } : {}),
        roles: [{ name: "deploy", repository: "unkeyed/unkey", branches: ["main"], assumableRoleArns: executorRoleArns }],
    },
    // Production keeps Unkey's fixed executor name (other accounts name it); other stages take the stage-scoped default.
    executorRoles: [{ name: "executor", ...(profile === Profile.Production ? { roleName: "UnkeyPulumiAWSExecutor" } : {}), trustedPrincipalArns: [managementCiRoleArn] }],
});

export const trustDomain = identity.trustDomain;
export const rootCaCertificatePem = identity.rootCaCertificatePem;
export const crlUrl = identity.crlUrl;
export const spireServerAddress = identity.spireServerAddress;
export const trustBundleUrl = identity.trustBundleUrl;
export const serverConfigParameterName = identity.serverConfigParameterName;
export const registrationEntries = identity.registrationEntries;
export const githubOidcProviderArn = identity.githubOidcProviderArn;
export const roleArns = identity.roleArns;
