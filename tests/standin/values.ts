/**
 * Helpers for the raw property values the engine exchanges with a provider plugin (the JSON form of
 * google.protobuf.Struct that `@pulumi/pulumi/provider`'s server hands to a `Provider`): secrets,
 * unknowns, assets/archives and resource references arrive as "signed" objects. Part of the OFFLINE
 * STAND-IN provider used by tests only.
 */
import { createHash } from "crypto";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** The engine's marker for a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, any>;

function sigOf(v: unknown): string | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props)[SIG_KEY] : undefined;
}

export function isSecret(v: unknown): boolean {
    return sigOf(v) === SECRET_SIG || (sigOf(v) === OUTPUT_SIG && (v as Props).secret === true);
}

/** Wraps a value as a secret in the wire form the engine understands. */
export function secret<T>(value: T): Props {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** True when the value is, or contains, the engine's unknown marker. */
export function hasUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (sigOf(v) === OUTPUT_SIG) return !("value" in (v as Props));
    if (Array.isArray(v)) return v.some(hasUnknown);
    if (v !== null && typeof v === "object") return Object.values(v).some(hasUnknown);
    return false;
}

/**
 * The plain value: secrets and output values unwrapped (deeply), resource references replaced by
 * their id (or URN for components), as the Terraform-bridged providers see them. Assets and
 * archives stay as they are (their `hash` identifies the content).
 */
export function plain(v: any): any {
    const sig = sigOf(v);
    if (sig === SECRET_SIG || sig === OUTPUT_SIG) return plain(v.value);
    if (sig === RESOURCE_SIG) return v.id ?? v.urn;
    if (sig !== undefined) return v;
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === "object") {
        const out: Props = {};
        for (const [k, x] of Object.entries(v)) out[k] = plain(x);
        return out;
    }
    return v;
}

/** Replaces resource references by their id, keeping secrets wrapped (used by check). */
export function derefResources(v: any): any {
    const sig = sigOf(v);
    if (sig === RESOURCE_SIG) return v.id ?? v.urn;
    if (sig === SECRET_SIG) return secret(derefResources(v.value));
    if (sig !== undefined) return v;
    if (Array.isArray(v)) return v.map(derefResources);
    if (v !== null && typeof v === "object") {
        const out: Props = {};
        for (const [k, x] of Object.entries(v)) out[k] = derefResources(x);
        return out;
    }
    return v;
}

/** Drops `undefined` (google.protobuf.Struct cannot carry it) deeply. */
export function clean(v: any): any {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : clean(x)));
    if (v !== null && typeof v === "object") {
        const out: Props = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
        return out;
    }
    return v;
}

/** JSON with sorted keys, so equal values hash equally. */
export function stable(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
    if (v !== null && typeof v === "object") {
        const entries = Object.entries(v as Props)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(",")}}`;
    }
    return JSON.stringify(v ?? null);
}

/** Deep equality of plain values; null and missing are the same. */
export function equal(a: unknown, b: unknown): boolean {
    return stable(a ?? null) === stable(b ?? null);
}

export function sha256(data: string | Buffer): Buffer {
    return createHash("sha256").update(data).digest();
}

/**
 * Deterministic, random-looking material derived from a seed: an endless SHA-256 counter stream.
 * Every "random" identifier of the stand-in comes from here, so the same program gives the same ids.
 */
export class Stream {
    private counter = 0;
    private buf = Buffer.alloc(0);
    constructor(private readonly seed: string) {}

    bytes(n: number): Buffer {
        while (this.buf.length < n) {
            this.buf = Buffer.concat([this.buf, sha256(`${this.seed}\u0000${this.counter++}`)]);
        }
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return Buffer.from(out);
    }

    /** Uniform integer in [0, n) by rejection sampling. */
    int(n: number): number {
        if (n <= 1) return 0;
        const limit = Math.floor(0x100000000 / n) * n;
        for (;;) {
            const x = this.bytes(4).readUInt32BE(0);
            if (x < limit) return x % n;
        }
    }

    chars(n: number, alphabet: string): string {
        let s = "";
        for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
        return s;
    }
}

export const HEX = "0123456789abcdef";
export const DIGITS = "0123456789";
export const LOWER = "abcdefghijklmnopqrstuvwxyz";
export const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const LOWER_ALNUM = LOWER + DIGITS;
export const UPPER_ALNUM = UPPER + DIGITS;
export const ALNUM = UPPER + LOWER + DIGITS;

/** `n` characters of `alphabet` derived from `seed`. */
export function derive(seed: string, n: number, alphabet = HEX): string {
    return new Stream(seed).chars(n, alphabet);
}

export function uuidFrom(seed: string): string {
    const b = new Stream(seed).bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Type token and logical name from a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return { type: qualified.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}
