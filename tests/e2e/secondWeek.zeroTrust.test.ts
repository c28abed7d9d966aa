/** Second week of a ZeroTrustIdentity (see secondWeek.ts): Unkey's identity stage after launch. */
import { secondWeek } from "./secondWeek";

const workload = (name: string) => ({
    name,
    path: `/service/${name}`,
    selectors: [
        { type: "unix", value: `path:/usr/local/bin/${name}` },
        { type: "systemd", value: `id:${name}.service` },
    ],
});

secondWeek(
    "ZeroTrustIdentity",
    "unkey",
    {
        stage: "dev",
        trustDomain: "unkey.cloud",
        trustRoot: { mode: "generated", keyAlgorithm: "rsa4096", organization: "Unkey", crl: true },
        spire: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], allowedCidrBlocks: ["10.0.0.0/16"] },
        agents: { targetTag: { key: "spire-agent", value: "enabled" } },
        workloads: [workload("metald"), workload("billaged")],
        githubOidc: { roles: [{ name: "deploy", repository: "unkeyed/unkey", branches: ["main"] }] },
        tags: { team: "platform" },
    },
    [
        { name: "change the tags", apply: (a) => (a.tags = { team: "platform", costCenter: "cc-9" }), replacesNothing: true },
        { name: "add a workload", apply: (a) => a.workloads.push(workload("builderd")) },
        { name: "change a workload's selector", apply: (a) => (a.workloads[0].selectors[0].value = "path:/opt/unkey/bin/metald") },
        { name: "remove a workload", apply: (a) => a.workloads.splice(1, 1) },
        { name: "add a GitHub role", apply: (a) => a.githubOidc.roles.push({ name: "release", repository: "unkeyed/unkey", environments: ["production"] }) },
        { name: "allow more agent networks", apply: (a) => a.spire.allowedCidrBlocks.push("10.1.0.0/16") },
        {
            name: "switch the profile to production (three servers on an RDS datastore)",
            apply: (a) => Object.assign(a, { profile: "production", spire: { ...a.spire, datastore: { create: true } } }),
        },
    ],
);
