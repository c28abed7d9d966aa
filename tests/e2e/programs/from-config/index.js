// A rampart component whose arguments are the stack config `args` (JSON) and options `opts` (JSON). Strings under
// `services[].secrets` are passed as Pulumi secrets, as a program would pass them. Plain
// JavaScript so that each `up` of the second-week suite skips a TypeScript compile.
const pulumi = require("@pulumi/pulumi");
const rampart = require("@rampart-iac/pulumi-rampart");

const COMPONENTS = {
    ServicePlatform: rampart.ServicePlatform,
    AuthorizerWithPolicyStore: rampart.AuthorizerWithPolicyStore,
    ZeroTrustIdentity: rampart.ZeroTrustIdentity,
};

const config = new pulumi.Config();
const component = config.require("component");
const args = config.requireObject("args");
for (const service of args.services ?? []) {
    if (service.secrets) service.secrets = Object.fromEntries(Object.entries(service.secrets).map(([k, v]) => [k, pulumi.secret(String(v))]));
}
// Optional `secretEnvironment` (JSON, service name -> { VARIABLE: value }): added to that service's `environment` as
// Pulumi secrets, as a program passing config.requireSecret(...) there would (ServicePlatform refuses them).
const secretEnvironment = config.getObject("secretEnvironment") ?? {};
for (const service of args.services ?? []) {
    const extra = secretEnvironment[service.name];
    if (extra) service.environment = { ...service.environment, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, pulumi.secret(String(v))])) };
}
const Component = COMPONENTS[component];
if (!Component) throw new Error(`unknown component ${component}`);
// Optional resource options for the component (JSON), for example {"retainOnDelete": true}.
const opts = config.getObject("opts");
exports.urn = new Component(config.require("name"), args, opts).urn;
