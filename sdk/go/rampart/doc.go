// Secure-by-default Pulumi components for running services on AWS: ServicePlatform, ZeroTrustIdentity, AuthorizerWithPolicyStore.
package rampart
