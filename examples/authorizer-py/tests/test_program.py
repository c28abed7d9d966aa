"""Unit tests of __main__.py under Pulumi's mock engine (pulumi.runtime.set_mocks).

AuthorizerWithPolicyStore from the generated SDK is a remote component: under mocks its
implementation (including Cedar validation of the schema and policies) does not run, and the
mock's new_resource receives the component's own type and the inputs the program passes
(translated by the SDK to the schema's camelCase names). These tests therefore check what this
program controls: the component it registers, its exact inputs (the same as
../authorizer-ts/index.ts), that the policy paths lead to the sample Cedar files, that the exports
are the component's outputs under the TypeScript example's names, and that config is passed through
unvalidated (validation happens in the plugin and is tested end to end).

Run: python -m pytest -q tests   (from examples/authorizer-py, with pulumi, pytest and
pulumi-rampart installed).
"""
import pathlib
import runpy

import pulumi
import pytest
from google.protobuf import json_format
from pulumi.runtime import rpc, settings
from pulumi.runtime.mocks import MockMonitor

EXAMPLE = pathlib.Path(__file__).resolve().parent.parent
PROGRAM = EXAMPLE / "__main__.py"
PROJECT = "authorizer-py"
COMPONENT = "rampart:index:AuthorizerWithPolicyStore"
API_EXECUTION_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"

# What ../authorizer-ts/index.ts passes to AuthorizerWithPolicyStore, in schema names.
EXPECTED_INPUTS = {
    "stage": "dev",
    "accountAlias": "sandpit",
    "profile": "ephemeral",
    "repo": "rampart-iac/pulumi-rampart",
    "owner": "platform-team",
    "ttl": "72h",
    "policyStore": {
        "schemaFile": "../authorizer-policies/schema.cedarschema.json",
        "policyDir": "../authorizer-policies/policies",
    },
    "cognito": {"groups": ["readers", "writers", "admins"]},
    "authorizer": {"apiExecutionArn": API_EXECUTION_ARN},
}

# The component outputs the mock returns, and the stack outputs the TypeScript example exports.
COMPONENT_STATE = {
    "policyStoreId": "Lq1hfeeXHZXP23vMdD6rMU",
    "authorizerFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:docs-dev-authorizer",
    "authorizerInvokeArn": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:docs-dev-authorizer/invocations",
    "authorizerIdentitySource": "method.request.header.Authorization,context.httpMethod,context.path",
    "authorizerCacheTtlSeconds": 300,
    "authorizerInvokeSourceArn": API_EXECUTION_ARN + "/authorizers/*",
    "userPoolId": "us-east-1_BsQCNqra7",
    "userPoolClientIds": ["xuaq31t8g2hs6i5s55svqf69fx"],
    "tableName": "docs-dev",
    # Outputs the example does not export.
    "policyStoreArn": "arn:aws:verifiedpermissions::123456789012:policy-store/Lq1hfeeXHZXP23vMdD6rMU",
    "tableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/docs-dev",
}
TS_EXPORTS = [
    "policyStoreId",
    "authorizerFunctionArn",
    "authorizerInvokeArn",
    "authorizerIdentitySource",
    "authorizerCacheTtlSeconds",
    "authorizerInvokeSourceArn",
    "userPoolId",
    "userPoolClientIds",
    "tableName",
]


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.resources = []

    def new_resource(self, args):
        self.resources.append(args)
        state = dict(COMPONENT_STATE) if args.typ == COMPONENT else {}
        return f"{args.name}-id", state

    def call(self, args):
        return {}, None


class WireRecordingMonitor(MockMonitor):
    """Keeps each registration's properties as they went over the wire (secrets wrapped where the
    program marked them; MockResourceArgs.inputs hoists a nested secret to its top-level property)."""

    def __init__(self, mocks):
        super().__init__(mocks)
        self.wire = {}

    def RegisterResource(self, request):
        self.wire[(request.type, request.name)] = json_format.MessageToDict(request.object)
        return super().RegisterResource(request)


def run_program(config=None, stack="dev"):
    """Runs __main__.py under mocks; returns (mocks, monitor, resolved stack outputs)."""
    mocks = RecordingMocks()
    monitor = WireRecordingMonitor(mocks)
    settings.ROOT.set(None)  # a fresh root stack per run
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    given = {k: v for k, v in {"apiExecutionArn": API_EXECUTION_ARN, **(config or {})}.items() if v is not None}
    pulumi.runtime.set_all_config({f"{PROJECT}:{k}": v for k, v in given.items()}, secret_keys=[])
    exported = {}

    @pulumi.runtime.test
    def run():
        runpy.run_path(str(PROGRAM), run_name="__main__")
        outputs = settings.get_root_resource().outputs
        return pulumi.Output.all(**outputs).apply(exported.update)

    run()
    return mocks, monitor, exported


def component_inputs(run):
    """The component's inputs as sent to the engine."""
    mocks, monitor, _ = run
    assert [r.typ for r in mocks.resources] == [COMPONENT]
    return monitor.wire[(COMPONENT, "docs")]


def contains_secret(value):
    if rpc.is_rpc_secret(value):
        return True
    if isinstance(value, dict):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False


def test_project_name_matches_pulumi_yaml():
    # Config keys are "<project>:<key>": the tests must use the project's real name.
    assert f"name: {PROJECT}\n" in (EXAMPLE / "Pulumi.yaml").read_text()


def test_registers_one_authorizer_with_policy_store_named_docs():
    mocks, _, _ = run_program()
    assert [(r.typ, r.name, r.custom) for r in mocks.resources] == [(COMPONENT, "docs", False)]


def test_inputs_are_those_of_the_typescript_example():
    inputs = component_inputs(run_program())
    assert inputs == EXPECTED_INPUTS
    assert not contains_secret(inputs)


def test_policy_paths_lead_to_the_sample_cedar_files():
    # The plugin resolves relative paths against the program's directory (the engine starts it
    # there), so they must work from this folder.
    store = component_inputs(run_program())["policyStore"]
    schema = EXAMPLE / store["schemaFile"]
    policies = EXAMPLE / store["policyDir"]
    assert schema.is_file(), schema
    assert '"DocsApi"' in schema.read_text()
    assert sorted(p.name for p in policies.glob("*.cedar")), policies


def test_exports_are_the_component_outputs_under_the_typescript_names():
    _, _, exported = run_program()
    assert list(exported) == TS_EXPORTS
    assert exported == {name: COMPONENT_STATE[name] for name in TS_EXPORTS}


def test_api_execution_arn_comes_from_config_and_is_required():
    other = "arn:aws:execute-api:eu-west-1:210987654321:z9y8x7w6v5"
    assert component_inputs(run_program({"apiExecutionArn": other}))["authorizer"] == {"apiExecutionArn": other}
    with pytest.raises(Exception, match="apiExecutionArn"):
        run_program({"apiExecutionArn": None})


def test_stage_defaults_to_the_stack_name():
    assert component_inputs(run_program(stack="pr-123"))["stage"] == "pr-123"


def test_stage_alias_ttl_and_profile_come_from_config():
    inputs = component_inputs(run_program(
        {"stage": "pr-9", "accountAlias": "prod-acct", "ttl": "2026-12-01", "profile": "production"}))
    assert (inputs["stage"], inputs["accountAlias"], inputs["ttl"], inputs["profile"]) == (
        "pr-9", "prod-acct", "2026-12-01", "production")


@pytest.mark.parametrize("profile", ["prod", "Production", "ephemeral"])
def test_any_profile_but_production_is_ephemeral(profile):
    assert component_inputs(run_program({"profile": profile}))["profile"] == "ephemeral"


@pytest.mark.parametrize("key,value", [("stage", "Bad_Stage"), ("accountAlias", "Not An Alias"), ("ttl", "")])
def test_bad_config_is_passed_through_unchanged_for_the_plugin_to_reject(key, value):
    # Under mocks the component's implementation (and its validation) does not run: the program
    # must not rewrite or pre-validate values, so the plugin's error names what the user gave.
    # An empty value is kept too (TypeScript's `??`, not `or`).
    assert component_inputs(run_program({key: value}))[key] == value
