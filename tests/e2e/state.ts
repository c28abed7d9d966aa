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
    // Values the provider computed (ids, ARNs, DNS names: they embed the URN) become tokens. A value
    // that several resources output (the account id, the region) is a shared constant and stays.
    const owners = new Map<string, Set<string>>();
    const tokenOf = new Map<string, string>();
    for (const r of children) {
        const inputValues = new Set(stringLeaves(r.inputs ?? {}, "").map(([, v]) => v));
        const computed = stringLeaves(r.outputs ?? {}, "").filter(([, v]) => v.length >= 6 && !inputValues.has(v));
        if (r.id && !inputValues.has(r.id)) computed.push(["id", r.id]);
        for (const [key, value] of computed) {
            owners.set(value, (owners.get(value) ?? new Set()).add(r.urn));
            tokenOf.set(value, `<${r.type} ${nameOf(r.urn)}.${key}>`);
        }
    }
    const ordered = [...tokenOf.entries()].filter(([value]) => owners.get(value)!.size === 1).sort(([a], [b]) => b.length - a.length);
    // Pulumi auto-names (`<logical name>-<7 hex>`) are derived from the URN, which holds the project.
    const autoNames = children.map((r) => nameOf(r.urn)).sort((a, b) => b.length - a.length);
    const normalizeText = (text: string): string => {
        let out = text.replace(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g, (_m, kind: string) => `<${kind} PEM>`);
        for (const [value, token] of ordered) if (out.includes(value)) out = out.split(value).join(token);
        for (const name of autoNames) out = out.replace(new RegExp(`\\b${escapeRegExp(name)}-[0-9a-f]{7}\\b`, "g"), `${name}-<auto>`);
        return out.split(project).join("<project>");
    };
    // Base64 runs (user data, scripts that `base64 -d` a config) are compared by what they encode.
    const normalizeString = (s: string): string =>
        normalizeText(
            s.replace(/[A-Za-z0-9+/]{24,}={0,2}/g, (run) => {
                const decoded = decodeBase64Text(run);
                return decoded === undefined ? run : `<base64 ${normalizeString(decoded)}>`;
            }),
        );
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

/** Every string inside a value, with its dotted path (`masterUserSecrets[0].secretArn`). */
function stringLeaves(value: unknown, path: string): [string, string][] {
    if (typeof value === "string") return [[path, value]];
    if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, `${path}[${i}]`));
    if (value && typeof value === "object") {
        if ((value as Record<string, unknown>)[SECRET_SIG_KEY]) return [];
        return Object.entries(value as Record<string, unknown>).flatMap(([k, item]) => stringLeaves(item, path ? `${path}.${k}` : k));
    }
    return [];
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text inside a base64 string (user data, SSM documents), when it decodes to printable text. */
/**
 * The state with every whole-word occurrence of one stage replaced by another, inside base64-encoded text too (user
 * data, scripts): compares an example with its twin deployed side by side under another stage.
 */
export function restaged(resources: StateResource[], from: string, to: string): StateResource[] {
    const word = new RegExp(`(?<![A-Za-z0-9])${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9])`, "g");
    const text = (s: string): string =>
        s
            .replace(/[A-Za-z0-9+/]{24,}={0,2}/g, (run) => {
                const decoded = decodeBase64Text(run);
                return decoded === undefined ? run : Buffer.from(text(decoded), "utf8").toString("base64");
            })
            .replace(word, to);
    const walk = (v: unknown): unknown =>
        typeof v === "string" ? text(v) : Array.isArray(v) ? v.map(walk) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)])) : v;
    return walk(resources) as StateResource[];
}

function decodeBase64Text(value: string): string | undefined {
    if (value.length < 24 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
    const text = Buffer.from(value, "base64").toString("utf8");
    return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) ? text : undefined;
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
