// Turns the arguments of a Construct request into plain values checkInputs can read: Outputs are
// awaited (they carry values the engine already sent, so nothing waits on another resource),
// unknown values become UNKNOWN and secrets become SecretValue. The component itself still gets the
// original arguments, Outputs and all.
import { isUnknown, Output } from "@pulumi/pulumi/output";
import { Resource } from "@pulumi/pulumi/resource";
import { SecretValue, UNKNOWN } from "./typeCheck";

/** The fields of an Output the SDK sets on every instance (output.ts), typed here because they are internal. */
interface OutputInternals {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
}

const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export async function checkableInputs(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inputs)) out[key] = await checkable(value);
    return out;
}

async function checkable(value: unknown): Promise<unknown> {
    if (isUnknown(value)) return UNKNOWN;
    if (Output.isInstance(value)) {
        const output = value as unknown as OutputInternals;
        if (!(await output.isKnown)) return UNKNOWN;
        const [inner, secret] = await Promise.all([output.promise(true), output.isSecret]);
        const resolved = await checkable(inner);
        return secret && !(resolved instanceof SecretValue) && resolved !== UNKNOWN ? new SecretValue(resolved) : resolved;
    }
    if (value instanceof Promise) return checkable(await value);
    if (Array.isArray(value)) return Promise.all(value.map(checkable));
    if (typeof value === "object" && value !== null && !Resource.isInstance(value)) {
        const record = value as Record<string, unknown>;
        if (record[SPECIAL_SIG_KEY] === SECRET_SIG) {
            const inner = await checkable(record.value);
            return inner === UNKNOWN ? UNKNOWN : new SecretValue(inner);
        }
        const out: Record<string, unknown> = {};
        for (const [key, element] of Object.entries(record)) out[key] = await checkable(element);
        return out;
    }
    return value;
}
