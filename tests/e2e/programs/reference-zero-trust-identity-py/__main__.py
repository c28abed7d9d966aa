import pulumi
import pulumi_rampart as rampart

# A generated root CA for the trust domain and a role GitHub Actions assumes from the main branch of one repository
# (through the account's GitHub OIDC provider, created once per account: see the README's account setup).
identity = rampart.ZeroTrustIdentity(
    "identity",
    stage="dev",
    trust_domain="dev.example.org",
    trust_root=rampart.TrustRootArgs(mode=rampart.TrustRootMode.GENERATED),
    github_oidc=rampart.GithubOidcArgs(roles=[rampart.GithubRoleArgs(name="deploy", repository="acme/app", branches=["main"])]),
)

pulumi.export("roleArns", identity.role_arns)
pulumi.export("rootCaCertificateSecretArn", identity.root_ca_certificate_secret_arn)
