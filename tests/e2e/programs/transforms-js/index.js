// The `transforms` option on a rampart component reaches its children (docs/customising.md).
const rampart = require("@rampart-iac/pulumi-rampart");

const longerIdleTimeout = (args) =>
    args.type === "aws:lb/loadBalancer:LoadBalancer" ? { props: { ...args.props, idleTimeout: 120 }, opts: args.opts } : undefined;

const platform = new rampart.ServicePlatform(
    "web",
    { stage: "tf", services: [{ name: "api", cpu: 256, memory: 512, port: 8080, public: true }] },
    { transforms: [longerIdleTimeout] },
);
exports.urn = platform.urn;
