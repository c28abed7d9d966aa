/**
 * Where the Cedar schema and policies come from: inline arguments, a schema file and a folder of
 * `.cedar` files. Paths are relative to the Pulumi program's directory (`process.cwd()`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { isAbsolute, join, resolve } from "path";
import { PolicyStoreConfig } from "./args";
import { CedarProblem, CedarSource } from "./cedar";

export const POLICY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const POLICY_FILE = /\.cedar$/;

export interface PolicySources {
    schema?: { text: string; label: string };
    sources: CedarSource[];
    problems: CedarProblem[];
}

/** The first `// comment` line of a policy file, used as its description. */
export function leadingComment(text: string): string | undefined {
    const first = text.split("\n").map((l) => l.trim()).find((l) => l !== "");
    const m = first ? /^\/\/\s*(.+)$/.exec(first) : null;
    return m ? m[1].trim().slice(0, 150) : undefined;
}

function readText(path: string, label: string, what: string, problems: CedarProblem[]): string | undefined {
    try {
        return readFileSync(path, "utf8");
    } catch (error) {
        problems.push({ path: label, message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, allowed: what });
        return undefined;
    }
}

/** Reads the schema and every policy and template, reporting missing files and duplicate ids. */
export function loadPolicySources(store: PolicyStoreConfig, cwd: string = process.cwd()): PolicySources {
    const problems: CedarProblem[] = [];
    const sources: CedarSource[] = [];
    const out: PolicySources = { sources, problems };
    const at = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));

    if (typeof store.schema === "string") {
        out.schema = { text: store.schema, label: "policyStore.schema" };
    } else if (typeof store.schemaFile === "string") {
        const path = at(store.schemaFile);
        const what = "a Cedar JSON schema file (a relative path starts at the Pulumi program's directory)";
        if (!existsSync(path)) {
            problems.push({ path: "policyStore.schemaFile", message: `no file at ${path}`, allowed: what });
        } else {
            const text = readText(path, "policyStore.schemaFile", what, problems);
            if (text !== undefined) out.schema = { text, label: `policyStore.schemaFile (${store.schemaFile})` };
        }
    }

    (store.policies ?? []).forEach((p, i) => {
        if (typeof p?.statement === "string" && p.statement !== "") {
            sources.push({ id: p.id, statement: p.statement, label: `policyStore.policies[${i}] (id ${JSON.stringify(p.id)})`, kind: "policy", description: p.description });
        }
    });
    (store.templates ?? []).forEach((t, i) => {
        if (typeof t?.statement === "string" && t.statement !== "") {
            sources.push({ id: t.id, statement: t.statement, label: `policyStore.templates[${i}] (id ${JSON.stringify(t.id)})`, kind: "template", description: t.description });
        }
    });

    if (typeof store.policyDir === "string") {
        const dir = at(store.policyDir);
        const what = "a folder of .cedar files, one policy or template each (a relative path starts at the Pulumi program's directory)";
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
            problems.push({ path: "policyStore.policyDir", message: `no folder at ${dir}`, allowed: what });
        } else {
            const files = readdirSync(dir).filter((f) => POLICY_FILE.test(f) && statSync(join(dir, f)).isFile()).sort();
            if (files.length === 0) problems.push({ path: "policyStore.policyDir", message: `no .cedar files in ${dir}`, allowed: what });
            for (const file of files) {
                const label = `policyStore.policyDir/${file}`;
                const id = file.replace(POLICY_FILE, "");
                if (!POLICY_ID.test(id)) {
                    problems.push({ path: label, message: `the file name gives the policy id ${JSON.stringify(id)}`, allowed: `file names of letters, digits, hyphens and underscores, 1-64 characters, ending in .cedar (${POLICY_ID.source})` });
                    continue;
                }
                const text = readText(join(dir, file), label, what, problems);
                if (text !== undefined) sources.push({ id, statement: text, label, kind: "either", description: leadingComment(text) });
            }
        }
    }

    // Duplicates inside policies or inside templates are reported by validate.ts; here the ones across lists and files.
    const seen = new Map<string, CedarSource>();
    out.sources = sources.filter((s) => {
        const first = seen.get(s.id);
        if (first === undefined) {
            seen.set(s.id, s);
            return true;
        }
        if (first.kind !== s.kind || s.kind === "either") {
            problems.push({ path: s.label, message: `the id ${JSON.stringify(s.id)} is already used by ${first.label}`, allowed: "policy and template ids unique across policies, templates and policyDir" });
        }
        return false;
    });
    return out;
}

/** The placeholder policies use for the prefix of user and group ids (the user pool id). */
export const USER_POOL_ID_PLACEHOLDER = "{userPoolId}";

/** The entity-id prefix in jwtSecret mode when there is no user pool. */
export const JWT_ENTITY_PREFIX = "jwt";

/** A statement as deployed: `{userPoolId}` replaced by the entity prefix. */
export function renderStatement(statement: string, entityPrefix: string): string {
    return statement.split(USER_POOL_ID_PLACEHOLDER).join(entityPrefix);
}
