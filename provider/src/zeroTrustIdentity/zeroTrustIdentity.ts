import * as pulumi from "@pulumi/pulumi";
import { ZeroTrustIdentityArgs } from "./args";
import { validateZeroTrustIdentityArgs } from "./validate";

export const ZERO_TRUST_IDENTITY_TYPE = "rampart:index:ZeroTrustIdentity";

/**
 * Workload and CI identity without long-lived keys: a trust root (PKI), SPIFFE/SPIRE workload
 * identity on AWS, GitHub and Pulumi OIDC federation, and cross-account deploy roles.
 */
export class ZeroTrustIdentity extends pulumi.ComponentResource {
    /** The SPIFFE trust domain. */
    public readonly trustDomain?: pulumi.Output<string>;
    /** PEM of the root CA certificate (public). */
    public readonly rootCaCertificatePem?: pulumi.Output<string>;
    /** Secrets Manager ARN of the root CA certificate. */
    public readonly rootCaCertificateSecretArn?: pulumi.Output<string>;
    /** Secrets Manager ARN of the root CA private key (the key itself is never an output). */
    public readonly rootCaKeySecretArn?: pulumi.Output<string>;
    /** URL of the published CRL. */
    public readonly crlUrl?: pulumi.Output<string>;
    /** Address agents dial: the internal load balancer's DNS name and port 8081. */
    public readonly spireServerAddress?: pulumi.Output<string>;
    /** URL of the published trust bundle. */
    public readonly trustBundleUrl?: pulumi.Output<string>;
    /** The rendered SPIRE agent configuration (HCL). */
    public readonly agentConfig?: pulumi.Output<string>;
    /** Name of the SSM parameter holding the rendered server configuration. */
    public readonly serverConfigParameterName?: pulumi.Output<string>;
    /** Registration entries as the JSON `spire-server entry create -data` accepts. */
    public readonly registrationEntries?: pulumi.Output<string>;
    /** ARN of the GitHub OIDC provider used by the roles. */
    public readonly githubOidcProviderArn?: pulumi.Output<string>;
    /** ARNs of the roles created, by role name. */
    public readonly roleArns?: pulumi.Output<{ [name: string]: string }>;

    constructor(name: string, args: ZeroTrustIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        validateZeroTrustIdentityArgs(name, args);
        super(ZERO_TRUST_IDENTITY_TYPE, name, {}, opts);
        if (args.trustDomain) this.trustDomain = pulumi.output(args.trustDomain);
        this.registerOutputs({ trustDomain: this.trustDomain });
    }
}
