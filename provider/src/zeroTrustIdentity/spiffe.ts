/** SPIFFE naming rules (SPIFFE ID specification). */

const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;

export function trustDomainProblem(trustDomain: string): string | undefined {
    if (trustDomain.length === 0) return "a trust domain is required";
    if (trustDomain.length > 255) return "at most 255 characters";
    if (!TRUST_DOMAIN.test(trustDomain)) return "lowercase letters, digits, dots, hyphens and underscores only (no scheme, port or path)";
    return undefined;
}

export function pathProblem(path: string): string | undefined {
    if (path === "") return undefined;
    if (!path.startsWith("/")) return "a path must start with /";
    if (path.endsWith("/")) return "no trailing slash";
    for (const segment of path.slice(1).split("/")) {
        if (segment === "") return "no empty path segments (//)";
        if (segment === "." || segment === "..") return "no . or .. path segments";
        if (!PATH_SEGMENT.test(segment)) return `path segment "${segment}" may only hold letters, digits, dots, hyphens and underscores`;
    }
    return undefined;
}

export interface ParsedSpiffeId {
    trustDomain: string;
    path: string;
}

/** Parses `spiffe://<trust domain><path>`; returns a reason when it is not a valid SPIFFE id. */
export function parseSpiffeId(id: string): ParsedSpiffeId | { problem: string } {
    const prefix = "spiffe://";
    if (!id.startsWith(prefix)) return { problem: "a SPIFFE id starts with spiffe://" };
    const rest = id.slice(prefix.length);
    const slash = rest.indexOf("/");
    const trustDomain = slash === -1 ? rest : rest.slice(0, slash);
    const path = slash === -1 ? "" : rest.slice(slash);
    const tdProblem = trustDomainProblem(trustDomain);
    if (tdProblem) return { problem: `trust domain: ${tdProblem}` };
    const pProblem = pathProblem(path);
    if (pProblem) return { problem: pProblem };
    return { trustDomain, path };
}

/** Selector types rampart's SPIRE agents are configured with, and the workload attestors they come from. */
export const KNOWN_SELECTOR_TYPES = ["unix", "systemd", "docker", "k8s", "aws_iid"] as const;

/** Why a selector is wrong, or undefined when it is acceptable. */
export function selectorProblem(type: string, value: string): string | undefined {
    if (!(KNOWN_SELECTOR_TYPES as readonly string[]).includes(type)) {
        return `selector type must be one of ${KNOWN_SELECTOR_TYPES.join(", ")}`;
    }
    if (!value || !value.includes(":")) return `a selector value is <key>:<value>, for example ${type === "unix" ? "uid:1000" : "id:app.service"}`;
    if (type === "systemd" && value.startsWith("unit:")) {
        return `SPIRE's systemd attestor emits systemd:id:<unit>, not systemd:unit:<unit>; use "id:${value.slice("unit:".length)}"`;
    }
    return undefined;
}
