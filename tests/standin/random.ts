/**
 * The random part of the OFFLINE STAND-IN provider. Values are derived deterministically from the
 * URN and the inputs (so the same program gives the same values, and a replacement, e.g. after a
 * keepers change, gives new ones); they look random but are NOT secret-grade randomness. Values are
 * stored in state and never regenerated on diff or update; every input forces a replacement, as in
 * the real provider.
 */
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { notImplemented, type PackageModel, type ResourceContext } from "./model";
import { DIGITS, LOWER, type Props, secret, stable, Stream, UPPER, uuidFrom } from "./values";

const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";
const STRING_DEFAULTS = { special: true, upper: true, lower: true, numeric: true, minNumeric: 0, minUpper: 0, minLower: 0, minSpecial: 0 };

const ADJECTIVES = ["able", "bold", "brave", "calm", "clever", "cool", "eager", "fair", "fast", "fond", "glad", "good", "happy", "keen", "kind", "lucky", "merry", "neat", "noble", "proud", "quick", "quiet", "sharp", "smart", "steady", "sunny", "swift", "tidy", "vital", "warm", "wise", "witty"];
const ANIMALS = ["ant", "bass", "bear", "bee", "bison", "cat", "crane", "deer", "dingo", "eagle", "eel", "falcon", "fox", "gecko", "goat", "hare", "heron", "ibex", "koala", "lark", "lemur", "lynx", "mole", "newt", "otter", "owl", "panda", "quail", "seal", "swan", "tapir", "wolf"];

const COMPUTED: Record<string, string[]> = {
    "random:index/randomPassword:RandomPassword": ["id", "result", "number"],
    "random:index/randomString:RandomString": ["id", "result", "number"],
    "random:index/randomId:RandomId": ["id", "hex", "b64Std", "b64Url", "dec"],
    "random:index/randomUuid:RandomUuid": ["id", "result"],
    "random:index/randomInteger:RandomInteger": ["id", "result"],
    "random:index/randomPet:RandomPet": ["id"],
    "random:index/randomShuffle:RandomShuffle": ["id", "results"],
    "random:index/randomBytes:RandomBytes": ["id", "base64", "hex"],
};

const DEFAULTS: Record<string, Props> = {
    "random:index/randomPassword:RandomPassword": STRING_DEFAULTS,
    "random:index/randomString:RandomString": STRING_DEFAULTS,
    "random:index/randomPet:RandomPet": { length: 2, separator: "-" },
};

/** terraform-provider-random's algorithm: the minimum counts first, then the rest from all enabled sets, shuffled. */
/** `number` is the deprecated spelling of `numeric`; either set to false turns digits off. */
const numericOn = (p: Props) => p.numeric !== false && p.number !== false;

export function randomString(p: Props, rng: Stream): string {
    const special = p.overrideSpecial ? String(p.overrideSpecial) : DEFAULT_SPECIAL;
    const all = (p.upper !== false ? UPPER : "") + (p.lower !== false ? LOWER : "") + (numericOn(p) ? DIGITS : "") + (p.special !== false ? special : "");
    const chars: string[] = [];
    const take = (n: number, set: string) => {
        for (let i = 0; i < n; i++) chars.push(set[rng.int(set.length)]);
    };
    take(p.minNumeric ?? 0, DIGITS);
    take(p.minLower ?? 0, LOWER);
    take(p.minUpper ?? 0, UPPER);
    take(p.minSpecial ?? 0, special);
    take(Math.max(0, Number(p.length) - chars.length), all);
    const order = chars.map(() => rng.int(0x10000));
    return chars
        .map((c, i) => [c, order[i]] as const)
        .sort((a, b) => a[1] - b[1])
        .map(([c]) => c)
        .join("");
}

function create(type: string, p: Props, rng: Stream): { id: string; outs: Props } {
    switch (type) {
        case "random:index/randomPassword:RandomPassword": {
            const result = randomString(p, rng);
            // bcryptHash is not produced: node:crypto has no bcrypt and no bcrypt package is installed.
            return { id: "none", outs: { result: secret(result), number: numericOn(p) } };
        }
        case "random:index/randomString:RandomString": {
            const result = randomString(p, rng);
            return { id: result, outs: { result, number: numericOn(p) } };
        }
        case "random:index/randomId:RandomId": {
            const bytes = rng.bytes(Number(p.byteLength));
            const prefix = p.prefix ?? "";
            const b64Url = bytes.toString("base64url");
            return {
                id: b64Url,
                outs: { b64Url: prefix + b64Url, b64Std: prefix + bytes.toString("base64"), hex: prefix + bytes.toString("hex"), dec: prefix + BigInt(`0x${bytes.toString("hex") || "0"}`).toString() },
            };
        }
        case "random:index/randomUuid:RandomUuid": {
            const result = uuidFrom(rng.bytes(16).toString("hex"));
            return { id: result, outs: { result } };
        }
        case "random:index/randomInteger:RandomInteger": {
            const min = Number(p.min);
            const max = Number(p.max);
            const result = min + rng.int(max - min + 1);
            return { id: String(result), outs: { result } };
        }
        case "random:index/randomPet:RandomPet": {
            const length = Number(p.length ?? 2);
            const words = [...Array.from({ length: Math.max(0, length - 1) }, () => ADJECTIVES[rng.int(ADJECTIVES.length)]), ANIMALS[rng.int(ANIMALS.length)]];
            const separator = p.separator ?? "-";
            const id = [...(p.prefix ? [p.prefix] : []), ...words].join(separator);
            return { id, outs: {} };
        }
        case "random:index/randomShuffle:RandomShuffle": {
            const input: unknown[] = [...(p.inputs ?? [])];
            for (let i = input.length - 1; i > 0; i--) {
                const j = rng.int(i + 1);
                [input[i], input[j]] = [input[j], input[i]];
            }
            const count = p.resultCount ?? input.length;
            return { id: "-", outs: { results: Array.from({ length: count }, (_, i) => input[i % Math.max(1, input.length)]) } };
        }
        case "random:index/randomBytes:RandomBytes": {
            const bytes = rng.bytes(Number(p.length));
            return { id: "none", outs: { base64: secret(bytes.toString("base64")), hex: secret(bytes.toString("hex")) } };
        }
        default:
            throw new Error(`the OFFLINE STAND-IN for the random provider does not implement the resource type "${type}"`);
    }
}

function validate(ctx: ResourceContext): CheckFailure[] {
    const p = ctx.inputs;
    const failures: CheckFailure[] = [];
    const num = (v: unknown) => (typeof v === "number" ? v : undefined);
    if (ctx.type.endsWith(":RandomPassword") || ctx.type.endsWith(":RandomString")) {
        const length = num(p.length);
        const mins = ["minNumeric", "minLower", "minUpper", "minSpecial"].reduce((s, k) => s + (num(p[k]) ?? 0), 0);
        if (length !== undefined && length < 1) failures.push({ property: "length", reason: "length must be at least 1" });
        if (length !== undefined && length < mins) failures.push({ property: "length", reason: `length (${length}) must be >= minNumeric + minLower + minUpper + minSpecial (${mins})` });
        if (p.upper === false && p.lower === false && !numericOn(p) && p.special === false) failures.push({ property: "length", reason: "at least one of upper, lower, numeric and special must be true" });
    }
    if (ctx.type.endsWith(":RandomInteger") && num(p.min) !== undefined && num(p.max) !== undefined && (p.min as number) > (p.max as number)) {
        failures.push({ property: "min", reason: `min (${p.min}) must be <= max (${p.max})` });
    }
    if ((ctx.type.endsWith(":RandomId") && num(p.byteLength) !== undefined && (p.byteLength as number) < 1) || (ctx.type.endsWith(":RandomBytes") && num(p.length) !== undefined && (p.length as number) < 1)) {
        failures.push({ property: ctx.type.endsWith(":RandomId") ? "byteLength" : "length", reason: "must be at least 1" });
    }
    return failures;
}

export const randomModel: PackageModel = {
    defaults: (type) => ({ ...(DEFAULTS[type] ?? {}) }),
    checkAdditions: () => ({}),
    validate,
    computedKeys: (ctx) => COMPUTED[ctx.type] ?? ["id"],
    // Every argument of the random resources (including keepers) forces a new value.
    forcesReplacement: () => true,
    create(ctx) {
        const rng = new Stream(`${ctx.urn}|${stable(ctx.inputs)}`);
        const { id, outs } = create(ctx.type, ctx.inputs, rng);
        return { id, outs: { id, ...outs } };
    },
    update: (ctx, _id, state) => Object.fromEntries((COMPUTED[ctx.type] ?? ["id"]).filter((k) => state[k] !== undefined).map((k) => [k, state[k]])),
    invoke(token) {
        throw notImplemented("random", token);
    },
};

