/** Reading `pulumi stack export` deployments: component children and a project-independent view of them. */

export interface StateResource {
    urn: string;
    type: string;
    custom?: boolean;
    id?: string;
    parent?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

export function resourcesOf(exported: any): StateResource[] {
    return exported?.deployment?.resources ?? [];
}

export function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Every resource below the component (at any depth), the component excluded. */
export function descendantsOf(resources: StateResource[], componentUrn: string): StateResource[] {
    const below = new Set([componentUrn]);
    const out: StateResource[] = [];
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of resources) {
            if (r.parent && below.has(r.parent) && !below.has(r.urn)) {
                below.add(r.urn);
                out.push(r);
                grew = true;
            }
        }
    }
    return out;
}

const PROJECT_TAGS = new Set(["Project", "PulumiProject", "PulumiStack"]);

/**
 * The children's inputs with everything that legitimately differs between two projects replaced by
 * stable tokens: ids, ARNs and other values the provider computed (they embed the URN), secret
 * ciphertexts, and the project-name tags. Keyed by `<type> <name>`.
 */
export function normalizedChildren(resources: StateResource[], componentUrn: string, project: string): Map<string, unknown> {
    const children = descendantsOf(resources, componentUrn);
    const replacements = new Map<string, string>();
    for (const r of children) {
        const inputValues = new Set(Object.values(r.inputs ?? {}).filter((v) => typeof v === "string"));
        for (const [key, value] of Object.entries(r.outputs ?? {})) {
            if (typeof value === "string" && value.length >= 6 && !inputValues.has(value)) {
                replacements.set(value, `<${r.type} ${nameOf(r.urn)}.${key}>`);
            }
        }
        if (r.id) replacements.set(r.id, `<${r.type} ${nameOf(r.urn)}.id>`);
    }
    const ordered = [...replacements.entries()].sort(([a], [b]) => b.length - a.length);
    const normalizeString = (s: string): string => {
        let out = s;
        for (const [value, token] of ordered) if (out.includes(value)) out = out.split(value).join(token);
        return out.split(project).join("<project>");
    };
    const walk = (v: unknown, key = ""): unknown => {
        if (typeof v === "string") return normalizeString(v);
        if (Array.isArray(v)) return v.map((item) => walk(item));
        if (v && typeof v === "object") {
            if ((v as Record<string, unknown>)[SECRET_SIG_KEY]) return "<secret>";
            const entries = Object.entries(v as Record<string, unknown>)
                .filter(([k]) => !((key === "tags" || key === "tagsAll") && PROJECT_TAGS.has(k)))
                .map(([k, item]) => [k, walk(item, k)] as const)
                .sort(([a], [b]) => a.localeCompare(b));
            return Object.fromEntries(entries);
        }
        return v;
    };
    return new Map(
        children
            .map((r) => [`${r.type} ${nameOf(r.urn)}`, walk(r.inputs ?? {})] as const)
            .sort(([a], [b]) => a.localeCompare(b)),
    );
}

/** Human-readable differences between two normalized child maps (empty when equal). */
export function childDifferences(actual: Map<string, unknown>, expected: Map<string, unknown>): string[] {
    const out: string[] = [];
    for (const key of expected.keys()) if (!actual.has(key)) out.push(`missing ${key}`);
    for (const key of actual.keys()) if (!expected.has(key)) out.push(`unexpected ${key}`);
    for (const [key, value] of actual) {
        if (!expected.has(key)) continue;
        const a = JSON.stringify(value);
        const b = JSON.stringify(expected.get(key));
        if (a !== b) out.push(`${key}: inputs differ\n    got      ${a.slice(0, 800)}\n    expected ${b.slice(0, 800)}`);
    }
    return out;
}
