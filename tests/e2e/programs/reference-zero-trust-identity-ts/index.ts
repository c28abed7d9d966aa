import * as rampart from "@rampart-iac/pulumi-rampart";

// A generated root CA for the trust domain and a role GitHub Actions assumes from the main branch of one repository
// (through the account's GitHub OIDC provider, created once per account: see the README's account setup).
const identity = new rampart.ZeroTrustIdentity("identity", {
    stage: "dev",
    trustDomain: "dev.example.org",
    trustRoot: { mode: rampart.TrustRootMode.Generated },
    githubOidc: { roles: [{ name: "deploy", repository: "acme/app", branches: ["main"] }] },
});

export const roleArns = identity.roleArns;
export const rootCaCertificateSecretArn = identity.rootCaCertificateSecretArn;
