import * as pulumi from "@pulumi/pulumi";
import { AwsEnvironment, awsEnvironment } from "../shared/environment";
import { byProfile, resolveProfile } from "../shared/profile";
import { ComponentScope } from "../shared/scope";
import { createAgents } from "./agents";
import { ZeroTrustIdentityArgs } from "./args";
import { createFederation } from "./oidc";
import { createPublicationBucket, PublicationBucket } from "./publication";
import { renderAgentConfig } from "./render";
import { agentConfig, spireSettings, trustRootSettings, workloadAttestors, workloadEntries } from "./settings";
import { createSpireServer } from "./spireServer";
import { createTrustRoot } from "./trustRoot";
import { validateZeroTrustIdentityArgs } from "./validate";

export const ZERO_TRUST_IDENTITY_TYPE = "rampart:index:ZeroTrustIdentity";

/**
 * Workload and CI identity without long-lived keys: a trust root (PKI), SPIFFE/SPIRE workload
 * identity on AWS, GitHub and Pulumi OIDC federation, and cross-account deploy roles.
 *
 * To build a cross-account chain, create one instance per account and give each its account's
 * provider (`{ providers: [provider] }` or `{ provider }`): children and data-source calls are
 * parented to the component, so they inherit it.
 */
export class ZeroTrustIdentity extends pulumi.ComponentResource {
    /** The SPIFFE trust domain. Present with `trustDomain`. */
    public readonly trustDomain?: pulumi.Output<string>;
    /** PEM of the root CA certificate (public). Present with a trust root (`trustDomain` or `trustRoot`). */
    public readonly rootCaCertificatePem?: pulumi.Output<string>;
    /** Secrets Manager ARN of the root CA certificate. Present with a trust root. */
    public readonly rootCaCertificateSecretArn?: pulumi.Output<string>;
    /** Secrets Manager ARN of the root CA private key (the key itself is never an output). Present with a generated or existing root (not `awsPrivateCa`). */
    public readonly rootCaKeySecretArn?: pulumi.Output<string>;
    /** URL of the published CRL. The bucket is private: serve it through a CDN (origin access control) or presigned URLs. Present with a trust root. */
    public readonly crlUrl?: pulumi.Output<string>;
    /** Address agents dial: the internal load balancer's DNS name and port 8081. Present with `spire`. */
    public readonly spireServerAddress?: pulumi.Output<string>;
    /** URL of the trust bundle the server publishes (SPIFFE format). The bucket is private: serve it through a CDN or presigned URLs. Present with `spire`. */
    public readonly trustBundleUrl?: pulumi.Output<string>;
    /** The rendered SPIRE agent configuration (HCL). Present with `spire`. */
    public readonly agentConfig?: pulumi.Output<string>;
    /** Name of the SSM parameter holding the rendered server configuration. Present with `spire`. */
    public readonly serverConfigParameterName?: pulumi.Output<string>;
    /** Registration entries as the JSON `spire-server entry create -data` accepts. Present with `workloads`. */
    public readonly registrationEntries?: pulumi.Output<string>;
    /** ARN of the GitHub OIDC provider used by the roles. Present with `githubOidc`. */
    public readonly githubOidcProviderArn?: pulumi.Output<string>;
    /** ARNs of the roles created, by role name. Present with `githubOidc`, `pulumiOidc` or `executorRoles`. */
    public readonly roleArns?: pulumi.Output<{ [name: string]: string }>;

    /**
     * Checks arguments as the constructor does, creating nothing: throws one ComponentValidationError listing every
     * problem with the values known now. The plugin calls it to report the component's problems together with
     * type errors from Python, Go and YAML.
     */
    static validateArguments(name: string, args: ZeroTrustIdentityArgs): void {
        validateZeroTrustIdentityArgs(name, args);
    }

    constructor(name: string, args: ZeroTrustIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        validateZeroTrustIdentityArgs(name, args);
        super(ZERO_TRUST_IDENTITY_TYPE, name, {}, opts);

        const profile = resolveProfile(args.profile);
        const scope = new ComponentScope(this, name, {
            stage: args.stage,
            profile,
            userTags: args.tags,
            componentTags: { Component: "ZeroTrustIdentity", TrustDomain: args.trustDomain },
            // Production keeps and protects the trust root, its key, the publication bucket and the datastore.
            retainOnDelete: byProfile(profile, args.retainOnDelete, { ephemeral: false, production: true }),
            protectDataStores: byProfile(profile, args.protectDataStores, { ephemeral: false, production: true }),
        });
        let envCache: AwsEnvironment | undefined;
        const env = (): AwsEnvironment => (envCache ??= awsEnvironment(scope));
        let bucket: PublicationBucket | undefined;
        const publication = () => (bucket ??= createPublicationBucket(scope, env()));

        if (args.trustDomain) this.trustDomain = pulumi.output(args.trustDomain);

        const rootSettings = trustRootSettings(args);
        const trustRoot = rootSettings ? createTrustRoot(scope, rootSettings, args.trustRoot, publication) : undefined;
        if (trustRoot) {
            this.rootCaCertificatePem = trustRoot.certificatePem;
            this.rootCaCertificateSecretArn = trustRoot.certificateSecretArn;
            this.rootCaKeySecretArn = trustRoot.keySecretArn;
            this.crlUrl = trustRoot.crlUrl;
        }

        const entries = workloadEntries(args, args.agents?.targetTag);
        if (entries) this.registrationEntries = pulumi.output(JSON.stringify(entries, null, 2));

        const spire = spireSettings(args, profile);
        if (spire) {
            const server = createSpireServer(scope, args, spire, rootSettings, trustRoot, env(), publication, entries);
            this.spireServerAddress = server.address;
            this.serverConfigParameterName = server.serverConfigParameterName;
            this.trustBundleUrl = server.trustBundleUrl;
            this.agentConfig = server.loadBalancerDnsName.apply((dns) => renderAgentConfig(agentConfig(args, spire, dns)));
            if (args.agents) {
                createAgents(scope, args.agents, this.agentConfig, trustRoot?.certificatePem ?? pulumi.output(undefined), workloadAttestors(args).docker);
            }
        }

        if (args.githubOidc || args.pulumiOidc || args.executorRoles?.length) {
            const federation = createFederation(scope, args.githubOidc, args.pulumiOidc, args.executorRoles ?? []);
            this.githubOidcProviderArn = federation.githubOidcProviderArn;
            this.roleArns = pulumi.all(federation.roleArns);
        }

        this.registerOutputs({
            trustDomain: this.trustDomain,
            rootCaCertificatePem: this.rootCaCertificatePem,
            rootCaCertificateSecretArn: this.rootCaCertificateSecretArn,
            rootCaKeySecretArn: this.rootCaKeySecretArn,
            crlUrl: this.crlUrl,
            spireServerAddress: this.spireServerAddress,
            trustBundleUrl: this.trustBundleUrl,
            agentConfig: this.agentConfig,
            serverConfigParameterName: this.serverConfigParameterName,
            registrationEntries: this.registrationEntries,
            githubOidcProviderArn: this.githubOidcProviderArn,
            roleArns: this.roleArns,
        });
    }
}
