// Why an argument is plain (not an Output in the SDKs): issue 16 item 2 asks that only arguments the component needs
// while it plans its resources stay plain, and that the argument reference and the error for an Output known only at
// deployment say why. One table, read by the host (settlePlainInputs) and by scripts/reference.mts.
import type { PackageSchema, SchemaProperty } from "./typeCheck";

/** The sentence an argument's docstring may start its own reason with; it wins over the table below. */
export const PLAIN_REASON_MARKER = "Plain value (not an Output): ";

const NAME = "it is part of the names of the resources rampart creates (their logical names in the state and their AWS names), which must be known to plan them";
const TRUST = "it is rendered into the role's trust-policy conditions, which rampart checks at preview so that they admit only what was configured";
const SPIRE_CONFIG = "it is rendered into the SPIRE server configuration and checked at preview against SPIRE's rules";
const ROUTES = "the load balancer's listener rules are planned at preview from every service's routes (one rule per service, priorities, no two services on one route)";
const AWS_VALUES = "it is checked at preview against AWS's allowed values and the other arguments";
const CEDAR = "the Cedar schema and policies are parsed and validated against each other at preview";
const TAGS = "it is a tag value on every child, checked at preview against AWS's tag rules";

/** Reasons by argument path (`[]` for any list index, `{}` for any map key), per component class. */
const REASONS: readonly { component?: string; path: RegExp; reason: string }[] = [
    { path: /^stage$/, reason: NAME },
    { path: /^domain\.name$/, reason: "it decides the DNS records and certificate names rampart creates: one Route 53 alias record per distinct host name, named after it, and `services[].hostnames` are checked at preview to lie under it" },
    { path: /^database\.parameters$/, reason: "it is rendered into the DB parameter group rampart creates, whose family follows `engineVersion`, and checked at preview" },
    { path: /^services\[\]\.(environment|secrets|secretArns)$/, reason: "its keys are checked at preview (names AWS accepts, none that rampart sets itself); each value takes an Output" },
    { path: /(^|\.)(name|roleName|databaseName|domainPrefix|assumeRoleName)$/, reason: NAME },
    { path: /^trustDomain$/, reason: "it names every SPIFFE ID and the SPIRE server's key aliases and configuration, all planned at preview" },
    { path: /^(accountAlias|owner|repo|ttl)$/, reason: TAGS },
    { path: /\.inlinePolicies$/, reason: "rampart creates one inline policy per key, named after it; each policy document takes an Output" },
    { path: /^tags$/, reason: "its keys and values are checked at preview against AWS's tag rules and merged with rampart's standard tags on every child" },
    { component: "ServicePlatform", path: /^ci\.(branches|subjects)$/, reason: TRUST },
    { component: "ZeroTrustIdentity", path: /^(githubOidc\.roles\[\]\.(repository|branches|environments|subjects)|pulumiOidc\.(organization|roles\[\]\.(project|stacks)))$/, reason: TRUST },
    { path: /^services\[\]\.(pathPatterns|hostnames|healthCheckPath)$/, reason: ROUTES },
    { path: /^services\[\]\.egressPorts$/, reason: "rampart creates one security-group rule per port, named after it" },
    { path: /^services\[\]\.policyStatements\[\]\.actions$/, reason: "the task role's actions are checked at preview: each a named `service:Action`, no wildcards" },
    { path: /^network\.cidrBlock$/, reason: "rampart plans the subnets' CIDR blocks from it at preview" },
    { path: /^database\.(backupWindow|maintenanceWindow|engineVersion|instanceClass)$/, reason: AWS_VALUES },
    { path: /^(spire\.(caTtl|jwtSvidTtl|x509SvidTtl)|spire\.federation\.federatesWith\[\]\.(trustDomain|endpointSpiffeId|bundleEndpointUrl))$/, reason: SPIRE_CONFIG },
    { path: /^trustRoot\.(commonName|organization)$/, reason: "it is written into the root certificate, which is generated and checked at preview" },
    { path: /^workloads\[\]\./, reason: "each workload becomes a SPIRE registration entry, rendered and checked at preview" },
    { path: /^agents\.(installScript|release\.url|release\.sha256|targetTag\.key|targetTag\.value)$/, reason: "it is rendered into the agents' install document, which rampart checks at preview" },
    { path: /^policyStore\.(schema|schemaFile|policyDir|policies|templates)($|\[\]\.)/, reason: CEDAR },
    { path: /^policyStore\.description$/, reason: "it is checked at preview against the policy store's description limit" },
    { path: /^authorizer\.actionMapping\./, reason: "the authorizer's action mapping is checked at preview: Cedar action and entity types, and templates with at least one placeholder" },
    { path: /^cognito\.(groups|appClients)$/, reason: "rampart creates one user group or app client per entry, named after it" },
    { path: /^(database|cache)\.engine$/, reason: "it picks which resources rampart creates for the data store and their settings" },
    { path: /^services\[\]\.command$/, reason: "its presence is checked at preview against the compute type (App Runner runs the image's own command)" },
    { path: /^table\.ttlAttribute$/, reason: "it decides at preview whether the table gets a time-to-live setting" },
    { path: /^cognito\.signInAliases$/, reason: "AWS fixes it when the user pool is created; rampart refuses at preview a change that would replace the user pool" },
];

/** Why the argument at `path` (an error path such as `services[0].cpu`) must be a value known when the program runs. */
export function plainReason(schema: PackageSchema, token: string, path: string, property: SchemaProperty): string {
    return namedPlainReason(token, path, property) ?? byKind(schema, property);
}

/**
 * The reason the argument's docstring or the table above gives; undefined when only its kind (a switch, a size, an
 * object, a list of objects) explains it.
 */
export function namedPlainReason(token: string, path: string, property: SchemaProperty): string | undefined {
    const own = ownReason(property.description);
    if (own) return own;
    const component = token.split(":").pop()!;
    const general = path.replace(/\[\d+\]/g, "[]").replace(/\["[^"]*"\]/g, "{}");
    return REASONS.find((r) => (!r.component || r.component === component) && r.path.test(general))?.reason;
}

function ownReason(description: string | undefined): string | undefined {
    const at = description?.indexOf(PLAIN_REASON_MARKER) ?? -1;
    if (at < 0) return undefined;
    const rest = description!.slice(at + PLAIN_REASON_MARKER.length).replace(/\s+/g, " ");
    const end = rest.search(/\.(\s|$)/);
    return end < 0 ? rest.trim() : rest.slice(0, end).trim();
}

function byKind(schema: PackageSchema, property: SchemaProperty): string {
    const ref = property.$ref ?? property.items?.$ref;
    const type = ref ? schema.types?.[ref.replace(/^#\/types\//, "")] : undefined;
    if (property.type === "array" && type?.type === "object") {
        return "rampart creates resources for each entry, so the list decides how many resources exist (fields of an entry that take Outputs still do)";
    }
    if (type?.enum) return "a choice among fixed values that decides which resources rampart creates and how";
    if (type?.type === "object") return "whether it is given decides which resources rampart creates (its fields that take Outputs still do)";
    switch (property.type) {
        case "boolean":
            return "it decides at preview which resources rampart creates or how it configures them";
        case "number":
        case "integer":
            return "a size, count, port, duration or limit checked at preview against AWS's limits and the other arguments";
        default:
            return AWS_VALUES;
    }
}
