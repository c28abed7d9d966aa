"""Outputs of plain AWS resources created in this program as AuthorizerWithPolicyStore's inputs.

"shared" adopts the policy store, the user pool (by ARN) and its app client (a list holding an Output), and creates
the store's schema and identity source; "mailer" sends its pool's e-mail through the SES identity and configuration
set and expects HS256 tokens whose issuer and audience are the pool's endpoint and the client's id. Every one of
these values is unknown at the first preview.

Config `wrongStoreId` (default false) wires the user pool's id in as the policy store id instead (a realistic
mistake: `us-east-1_...` is no policy store id); the component refuses it with its one error when it resolves.
"""
import pulumi
import pulumi_rampart as rampart


class AwsResource(pulumi.CustomResource):
    """A plain AWS resource by its type token, with the outputs named in `outputs` as attributes.

    pulumi_aws is not installed in the test virtualenv; the engine and the stand-in provider do not need it.
    """

    def __init__(self, token, name, props, outputs, opts=None):
        super().__init__(token, name, {**props, **{key: None for key in outputs}}, opts)


POLICIES = "../../../../examples/authorizer-policies"
policy_files = {"schema_file": f"{POLICIES}/schema.cedarschema.json", "policy_dir": f"{POLICIES}/policies"}
config = pulumi.Config()

store = AwsResource("aws:verifiedpermissions/policyStore:PolicyStore", "store", {"validationSettings": {"mode": "STRICT"}}, ["policyStoreId", "arn"])
pool = AwsResource("aws:cognito/userPool:UserPool", "pool", {"name": "shared-users"}, ["arn", "endpoint"])
client = AwsResource("aws:cognito/userPoolClient:UserPoolClient", "client", {"name": "web", "userPoolId": pool.id}, [])

if config.get_bool("wrongStoreId"):
    rampart.AuthorizerWithPolicyStore(
        "shared",
        stage="pr-8",
        account_alias="sandpit",
        policy_store=rampart.PolicyStoreConfigArgs(existing_policy_store_id=pool.id, **policy_files),
        cognito=rampart.CognitoConfigArgs(existing_user_pool_id=pool.id, existing_client_ids=[client.id]),
    )
else:
    sender = AwsResource("aws:sesv2/emailIdentity:EmailIdentity", "sender", {"emailIdentity": "example.com"}, ["arn"])
    emails = AwsResource("aws:sesv2/configurationSet:ConfigurationSet", "emails", {"configurationSetName": "auth-emails"}, [])
    shared = rampart.AuthorizerWithPolicyStore(
        "shared",
        stage="pr-7",
        account_alias="sandpit",
        policy_store=rampart.PolicyStoreConfigArgs(existing_policy_store_id=store.policyStoreId, apply_schema=True, create_identity_source=True, **policy_files),
        cognito=rampart.CognitoConfigArgs(existing_user_pool_id=pool.arn, existing_client_ids=[client.id]),
    )
    mailer = rampart.AuthorizerWithPolicyStore(
        "mailer",
        stage="pr-7",
        account_alias="sandpit",
        policy_store=rampart.PolicyStoreConfigArgs(**policy_files),
        cognito=rampart.CognitoConfigArgs(
            ses_config=rampart.SesConfigArgs(
                source_arn=sender.arn,
                from_email=sender.id.apply(lambda domain: f"no-reply@{domain}"),
                reply_to_email=sender.id.apply(lambda domain: f"help@{domain}"),
                configuration_set=emails.id,
            ),
        ),
        authorizer=rampart.AuthorizerConfigArgs(
            token_source=rampart.TokenSource.JWT_SECRET,
            jwt_issuer=pool.endpoint.apply(lambda endpoint: f"https://{endpoint}"),
            jwt_audience=client.id,
        ),
    )
    pulumi.export("sharedStoreId", shared.policy_store_id)
    pulumi.export("sharedPoolId", shared.user_pool_id)
    pulumi.export("sharedClientIds", shared.user_pool_client_ids)
    pulumi.export("senderArn", sender.arn)
