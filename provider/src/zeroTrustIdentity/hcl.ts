/**
 * A small HCL writer for SPIRE configuration files. SPIRE parses HCL 1 (hashicorp/hcl v1); the
 * subset written here (blocks with labels, attributes holding strings, numbers, booleans and lists
 * of them) reads the same in HCL 1 and HCL 2.
 */

/** `${NAME}`: expanded from the environment when SPIRE runs with `-expandEnv`. */
export class EnvReference {
    constructor(readonly name: string) {
        if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`environment variable name "${name}" must match [A-Z_][A-Z0-9_]*`);
    }
}

export type HclScalar = string | number | boolean;
export type HclValue = HclScalar | HclScalar[] | EnvReference;

export interface HclBlock {
    type: string;
    labels: string[];
    body: HclEntry[];
}

/** An attribute (`[key, value]`; undefined values are left out) or a nested block. */
export type HclEntry = [string, HclValue | undefined] | HclBlock;

export function block(type: string, labels: string[], body: HclEntry[]): HclBlock {
    return { type, labels, body };
}

function isBlock(entry: HclEntry): entry is HclBlock {
    return !Array.isArray(entry);
}

export function hclString(value: string): string {
    if (value.includes("${") || value.includes("%{") || value.includes("$")) {
        throw new Error(`HCL string ${JSON.stringify(value)} contains "$": SPIRE's -expandEnv would expand it; use an EnvReference`);
    }
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

function hclValue(value: HclValue): string {
    if (value instanceof EnvReference) return `"\${${value.name}}"`;
    if (Array.isArray(value)) return `[${value.map((v) => hclValue(v)).join(", ")}]`;
    if (typeof value === "string") return hclString(value);
    if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new Error(`HCL number ${value} is not finite`);
        return String(value);
    }
    return value ? "true" : "false";
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** HCL text of the entries, four spaces per level, a blank line between top-level blocks. */
export function renderHcl(entries: HclEntry[], depth = 0): string {
    const pad = "    ".repeat(depth);
    const parts: string[] = [];
    for (const entry of entries) {
        if (isBlock(entry)) {
            if (!IDENTIFIER.test(entry.type)) throw new Error(`HCL block type "${entry.type}" is not an identifier`);
            const head = `${pad}${[entry.type, ...entry.labels.map(hclString)].join(" ")}`;
            const inner = renderHcl(entry.body, depth + 1);
            parts.push(inner === "" ? `${head} {}` : `${head} {\n${inner}\n${pad}}`);
            continue;
        }
        const [key, value] = entry;
        if (value === undefined) continue;
        if (!IDENTIFIER.test(key)) throw new Error(`HCL attribute name "${key}" is not an identifier`);
        parts.push(`${pad}${key} = ${hclValue(value)}`);
    }
    return parts.join(depth === 0 ? "\n\n" : "\n");
}
