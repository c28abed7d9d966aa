"""Mistakes a Python user can make that no Python type check catches: service arguments as a dict
(a TypedDict at best), "false" in quotes, a misspelt key, a service without its name. Beside them,
an unrelated valid component, which must not report an error of its own."""
import pulumi
import pulumi_rampart as rampart

config = pulumi.Config()
stage = config.get("stage") or "dev"

rampart.ZeroTrustIdentity("unrelated", stage=stage)

rampart.ServicePlatform(
    "skreg",
    stage=stage,
    services=[
        {"name": "api", "public": "false", "memroy": 2048},
        {"port": 8080},
    ],
)
