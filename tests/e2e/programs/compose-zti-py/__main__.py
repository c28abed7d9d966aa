"""Outputs of plain AWS resources created in this program, unknown at the first preview, as ZeroTrustIdentity inputs.

The AWS resources are declared by type token (pulumi.CustomResource), so the program needs no AWS SDK: a key given as
None is an output read back as an attribute. Config `serverTag` (default 1.13.3) is the tag of the SPIRE server image
in the program's ECR repository; `latest` is refused by ZeroTrustIdentity with its one error.
"""
import json

import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::compose-artifacts/*"}]})


def aws(token: str, name: str, props: dict, outputs: list) -> pulumi.CustomResource:
    return pulumi.CustomResource(token, name, {**{key: None for key in outputs}, **props})


vpc = aws("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.30.0.0/16"}, ["cidrBlock"])
subnets = [
    aws("aws:ec2/subnet:Subnet", f"subnet-{zone}", {"vpcId": vpc.id, "cidrBlock": cidr, "availabilityZone": f"us-east-1{zone}"}, [])
    for zone, cidr in (("a", "10.30.1.0/24"), ("b", "10.30.2.0/24"))
]
server_repo = aws("aws:ecr/repository:Repository", "server-repo", {"name": "mirror/spire-server"}, ["repositoryUrl"])
agent_repo = aws("aws:ecr/repository:Repository", "agent-repo", {"name": "mirror/spire-agent"}, ["repositoryUrl"])
ci = aws("aws:iam/role:Role", "other-ci", {"name": "other-ci", "assumeRolePolicy": TRUST}, ["arn"])
target = aws("aws:iam/role:Role", "deploy-target", {"name": "deploy-target", "assumeRolePolicy": TRUST}, ["arn"])
deploy = aws("aws:iam/policy:Policy", "deploy", {"name": "compose-deploy", "policy": POLICY}, ["arn"])

identity = rampart.ZeroTrustIdentity(
    "identity",
    stage="dev",
    trust_domain="compose.example.org",
    spire=rampart.SpireServerArgs(
        vpc_id=vpc.id,
        subnet_ids=[s.id for s in subnets],
        # A list item that is an Output: the VPC's CIDR block.
        allowed_cidr_blocks=[vpc.cidrBlock],
        server_image=pulumi.Output.concat(server_repo.repositoryUrl, ":", config.get("serverTag") or "1.13.3"),
        node_attestation=rampart.SpireNodeAttestationArgs(
            # An Output of the whole list: the account of the CI role's ARN.
            aws_iid=rampart.AwsIidAttestationArgs(account_ids=ci.arn.apply(lambda arn: [arn.split(":")[4]]), assume_role_name="spire-attestor"),
        ),
    ),
    agents=rampart.SpireAgentsArgs(
        target_tag=rampart.InstanceTagArgs(key="spire-agent", value="enabled"),
        agent_image=pulumi.Output.concat(agent_repo.repositoryUrl, ":1.13.3"),
    ),
    github_oidc=rampart.GithubOidcArgs(
        roles=[
            rampart.GithubRoleArgs(
                name="ci",
                repository="org/app",
                branches=["main"],
                assumable_role_arns=target.arn.apply(lambda arn: [arn]),
                managed_policy_arns=[deploy.arn],
            )
        ],
    ),
    executor_roles=[rampart.ExecutorRoleArgs(name="exec", trusted_principal_arns=ci.arn.apply(lambda arn: [arn]), managed_policy_arns=[deploy.arn])],
)

pulumi.export("ciArn", ci.arn)
pulumi.export("targetArn", target.arn)
pulumi.export("policyArn", deploy.arn)
pulumi.export("serverRepoUrl", server_repo.repositoryUrl)
pulumi.export("agentRepoUrl", agent_repo.repositoryUrl)
pulumi.export("roleArns", identity.role_arns)
