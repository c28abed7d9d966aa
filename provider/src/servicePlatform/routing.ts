/** Load balancer routing of public services: pure planning of listener rules and certificate names. */
import { ResolvedService } from "./settings";

export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface ListenerRulePlan {
    service: string;
    priority: number;
    pathPatterns: string[];
    hostnames: string[];
}

/**
 * One listener rule per public service that names paths or hosts, in the order services are given (priority 10, 20,
 * ...); a rule with both matches requests that satisfy both. The default public service (no paths, no hosts) takes
 * every other request through the listener's default action.
 */
export function planListenerRules(services: ResolvedService[]): ListenerRulePlan[] {
    return services
        .filter((s) => s.public && (s.pathPatterns.length > 0 || s.hostnames.length > 0))
        .map((s, i) => ({ service: s.name, priority: (i + 1) * 10, pathPatterns: s.pathPatterns, hostnames: s.hostnames }));
}

/** Names the certificate covers: the domain, then every other host name a public service routes on. */
export function certificateNames(domain: string, services: ResolvedService[]): string[] {
    const names = [domain];
    for (const s of services) for (const h of s.hostnames) if (!names.includes(h)) names.push(h);
    return names;
}

/** Names that need their own DNS validation record (a wildcard shares its base name's record). */
export function validationNames(names: string[]): string[] {
    return names.filter((n) => !(n.startsWith("*.") && names.includes(n.slice(2))));
}

/** Host names that need an alias record to the load balancer (wildcards are left to the user). */
export function aliasNames(names: string[]): string[] {
    return names.filter((n) => !n.includes("*"));
}
