"""Unit tests of __main__.py under Pulumi's mock engine (pulumi.runtime.set_mocks).

ServicePlatform from the generated SDK is a remote component: under mocks its implementation does
not run, and the mock's new_resource receives the component's own type and the inputs the program
passes (translated by the SDK to the schema's camelCase names). These tests therefore check what
this program controls: the component it registers, its exact inputs (the same as
../service-platform-ts/index.ts), that the signing key crosses the wire as a secret, that the
exports are the component's outputs under the TypeScript example's names, and that config is passed
through unvalidated (validation happens in the plugin and is tested end to end).

Run: python -m pytest -q tests   (from examples/service-platform-py, with pulumi, pytest and
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
PROJECT = "service-platform-py"
SIGNING_KEY = "test-signing-key"
COMPONENT = "rampart:index:ServicePlatform"

# What ../service-platform-ts/index.ts passes to ServicePlatform, in schema names; "<secret>"
# stands for the signing key wrapped as a secret.
EXPECTED_INPUTS = {
    "stage": "dev",
    "profile": "ephemeral",
    "services": [
        {
            "name": "api",
            "cpu": 512,
            "memory": 1024,
            "port": 8080,
            "public": True,
            "healthCheckPath": "/health",
            "useDatabase": True,
            "environment": {"LOG_LEVEL": "info"},
            "secrets": {"SIGNING_KEY": "<secret>"},
            "bucketAccess": "readWrite",
        },
        {"name": "worker", "cpu": 256, "memory": 512, "useDatabase": True},
    ],
    "database": {"instanceClass": "db.t4g.micro", "allocatedStorageGb": 20},
    "storage": {"bucket": True, "cdn": True},
    "ci": {"githubRepository": "skreg-dev/skreg", "branches": ["main"]},
}

# The component outputs the mock returns, and the stack outputs the TypeScript example exports.
COMPONENT_STATE = {
    "url": "http://skreg-dev-123.us-east-1.elb.amazonaws.com",
    "vpcId": "vpc-0123456789abcdef0",
    "clusterName": "skreg-dev",
    "serviceNames": {"api": "api-dev", "worker": "worker-dev"},
    "taskRoleArns": {
        "api": "arn:aws:iam::123456789012:role/skreg-dev-api-task",
        "worker": "arn:aws:iam::123456789012:role/skreg-dev-worker-task",
    },
    "repositoryUrls": {
        "api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/skreg-dev-api",
        "worker": "123456789012.dkr.ecr.us-east-1.amazonaws.com/skreg-dev-worker",
    },
    "databaseEndpoint": "skreg-dev.abc.us-east-1.rds.amazonaws.com:5432",
    "bucketName": "skreg-dev-storage-123456789012",
    "cdnBaseUrl": "https://d111111abcdef8.cloudfront.net",
    "ciRoleArn": "arn:aws:iam::123456789012:role/skreg-dev-ci-push",
    "estimatedMonthlyCostUsd": 53.98,
    # Outputs the example does not export.
    "loadBalancerDnsName": "skreg-dev-123.us-east-1.elb.amazonaws.com",
    "databaseSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-abc",
}
TS_EXPORTS = [
    "url", "vpcId", "clusterName", "serviceNames", "taskRoleArns", "repositoryUrls", "databaseEndpoint",
    "bucketName", "cdnBaseUrl", "ciRoleArn", "estimatedMonthlyCostUsd",
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
    """Keeps each registration's properties as they went over the wire.

    MockResourceArgs.inputs is deserialized by the Python SDK, which hoists a nested secret up to
    its top-level property (here the whole `services` list). The raw request shows exactly which
    value the program marked secret, as the plugin receives it.
    """

    def __init__(self, mocks):
        super().__init__(mocks)
        self.wire = {}

    def RegisterResource(self, request):
        self.wire[(request.type, request.name)] = json_format.MessageToDict(request.object)
        return super().RegisterResource(request)


def run_program(config=None, stack="dev"):
    """Runs __main__.py under mocks; returns (mocks, monitor, resolved stack outputs)."""
    values = {f"{PROJECT}:signingKey": SIGNING_KEY}
    values.update({f"{PROJECT}:{k}": v for k, v in (config or {}).items()})
    mocks = RecordingMocks()
    monitor = WireRecordingMonitor(mocks)
    settings.ROOT.set(None)  # a fresh root stack per run
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    pulumi.runtime.set_all_config(values, secret_keys=[f"{PROJECT}:signingKey"])
    exported = {}

    @pulumi.runtime.test
    def run():
        runpy.run_path(str(PROGRAM), run_name="__main__")
        outputs = settings.get_root_resource().outputs
        return pulumi.Output.all(**outputs).apply(exported.update)

    run()
    return mocks, monitor, exported


def component_inputs(run):
    """The component's inputs as sent to the engine (secrets still wrapped where the program put them)."""
    mocks, monitor, _ = run
    assert [r.typ for r in mocks.resources] == [COMPONENT]
    return monitor.wire[(COMPONENT, "skreg")]


def reveal(value):
    """Replaces each secret-wrapped value with "<secret>" and returns the plaintexts found."""
    found = []

    def walk(v):
        if rpc.is_rpc_secret(v):
            found.append(rpc.unwrap_rpc_secret(v))
            return "<secret>"
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value), found


def test_project_name_matches_pulumi_yaml():
    # Config keys are "<project>:<key>": the tests must use the project's real name.
    assert f"name: {PROJECT}\n" in (EXAMPLE / "Pulumi.yaml").read_text()


def test_registers_one_service_platform_named_skreg():
    mocks, _, _ = run_program()
    assert [(r.typ, r.name, r.custom) for r in mocks.resources] == [(COMPONENT, "skreg", False)]


def test_inputs_are_those_of_the_typescript_example():
    inputs, _ = reveal(component_inputs(run_program()))
    assert inputs == EXPECTED_INPUTS


def test_signing_key_is_sent_as_a_secret_and_nowhere_in_plain_text():
    inputs = component_inputs(run_program())
    key = inputs["services"][0]["secrets"]["SIGNING_KEY"]
    assert rpc.is_rpc_secret(key), key
    assert rpc.unwrap_rpc_secret(key) == SIGNING_KEY
    masked, plaintexts = reveal(inputs)
    assert plaintexts == [SIGNING_KEY]  # the only secret, and it is the signing key
    assert SIGNING_KEY not in repr(masked)


def test_exports_are_the_component_outputs_under_the_typescript_names():
    _, _, exported = run_program()
    assert list(exported) == TS_EXPORTS
    assert exported == {name: COMPONENT_STATE[name] for name in TS_EXPORTS}


def test_stage_defaults_to_the_stack_name():
    assert component_inputs(run_program(stack="pr-7"))["stage"] == "pr-7"


def test_stage_and_profile_come_from_config():
    inputs = component_inputs(run_program({"stage": "prod", "profile": "production"}))
    assert (inputs["stage"], inputs["profile"]) == ("prod", "production")


@pytest.mark.parametrize("profile", ["prod", "Production", "ephemeral"])
def test_any_profile_but_production_is_ephemeral(profile):
    assert component_inputs(run_program({"profile": profile}))["profile"] == "ephemeral"


@pytest.mark.parametrize("stage", ["Bad_Stage", ""])
def test_bad_stage_is_passed_through_unchanged_for_the_plugin_to_reject(stage):
    # Under mocks the component's implementation (and its validation) does not run: the program
    # must not rewrite or pre-validate the value, so the plugin's error names what the user gave.
    # An empty value is kept too (TypeScript's `??`, not `or`).
    assert component_inputs(run_program({"stage": stage}))["stage"] == stage


def test_missing_signing_key_fails():
    settings.ROOT.set(None)
    pulumi.runtime.set_mocks(RecordingMocks(), project=PROJECT, stack="dev", preview=False)
    pulumi.runtime.set_all_config({})
    with pytest.raises(pulumi.ConfigMissingError):
        runpy.run_path(str(PROGRAM), run_name="__main__")
