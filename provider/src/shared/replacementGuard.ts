import * as pulumi from "@pulumi/pulumi";
import { ComponentValidationError, describeGiven, ValidationProblem } from "./validation";

/**
 * Replacement guard: the one implementation every component uses to keep a stateful resource (database, bucket,
 * table, repository, secret, key, user pool, policy store, log group) from being replaced by an ordinary change.
 *
 * 1. The properties whose change makes the provider replace the resource (ForceNew in the Terraform AWS provider the
 *    Pulumi AWS provider is built from; each watch names its page) go into Pulumi's `ignoreChanges`
 *    (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/) unless the user's opt-in argument allows
 *    replacement: the resource keeps, and reports, what it was created with.
 * 2. The values the resource reports are compared with what the program asks. A difference is a change that AWS can
 *    only make by replacing the resource: preview and `up` fail with ONE ComponentValidationError naming, per
 *    property, the argument, what was given, what the resource has, that it would be replaced and its data lost, and
 *    the argument that allows it.
 * 3. The check is an Output that the component routes into what carries the guarded arguments to other resources
 *    (`release`) and into its own outputs, which the engine always serialises (Construct returns them). A refused
 *    change therefore fails registration before any resource that would carry it is registered; when the check
 *    passes, the released values are exactly the given ones, known at preview, so nothing shows a spurious diff.
 *
 * Unknown values at preview are handled deliberately:
 * - the resource's id is unknown: it is being created (or replaced for another, allowed reason): nothing to lose, pass;
 * - a wanted value is unknown (an output of another resource): checked at `up`, when it is known;
 * - a reported value is unknown while the id is known: the provider did not return the property (the Node SDK makes
 *   a missing output unknown at preview), so the resource is taken to have none. Guard only properties the provider
 *   always returns; a watch's `matches` decides what "none" means for it (for example an RDS instance encrypted with
 *   the AWS-managed key when no customer key is asked).
 */

/** One replacement-forcing property of a watched resource. */
export interface GuardedProperty {
    /** The resource's input (and output) property, as Pulumi names it; it goes into `ignoreChanges`. */
    property: string;
    /** The component argument that sets it, as error messages name it (`database.databaseName`). */
    argument: string;
    /** What the program asks for. */
    wanted: pulumi.Input<unknown> | undefined;
    /** Whether the reported value honours the ask. Default: equal as JSON, `undefined`, `null` and `""` alike. */
    matches?: (reported: unknown, wanted: unknown) => boolean;
    /** Renders what the resource has, after "has". Default: `<property> <JSON>`, or `no <property>`. */
    describeReported?: (reported: unknown) => string;
    /** Renders what was given. Default: describeGiven. */
    describeWanted?: (wanted: unknown) => string;
}

/** A stateful resource to guard. */
export interface GuardedResource {
    /** How messages name it: `the RDS instance "skreg-dev"`. */
    label: string;
    /** What a replacement loses: `every table and row in it`. */
    loses: string;
    /** The argument that allows replacement, and whether the user set it to true. */
    allowArgument: string;
    allow: boolean;
    /** Where the replace rules live (the Terraform AWS provider's page of the resource). */
    source: string;
    properties: GuardedProperty[];
    /**
     * Other inputs of the same resource set from a guarded argument (an RDS instance's `masterUserSecretKmsKeyId`
     * follows `kmsKeyArn` like its `kmsKeyId`). They are fixed with the guarded properties but not compared: the
     * guarded resource must be registered for the check to read what it reports, so an input of its own that moved
     * with a refused argument would be applied by the `up` that is being refused.
     */
    fixedWith?: string[];
}

/** `ignoreChanges` for a guarded resource: its replacement-forcing properties, or nothing when replacement is allowed. */
export function replacementIgnoreChanges(spec: Pick<GuardedResource, "allow" | "properties" | "fixedWith">): string[] {
    return spec.allow ? [] : [...new Set([...spec.properties.map((p) => p.property), ...(spec.fixedWith ?? [])])];
}

const blank = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** Default comparison: JSON equality, with undefined, null, "" and [] alike. */
export function sameValue(reported: unknown, wanted: unknown): boolean {
    if (blank(reported) || blank(wanted)) return blank(reported) && blank(wanted);
    return JSON.stringify(reported) === JSON.stringify(wanted);
}

/**
 * The problems of one guarded resource: for each property whose reported value does not honour the ask. Pure:
 * `reported` and `wanted` are keyed by property; a property missing from `wanted` (an ask not known yet) is skipped.
 */
export function replacementProblems(spec: GuardedResource, reported: Record<string, unknown>, wanted: Record<string, unknown>): ValidationProblem[] {
    if (spec.allow) return [];
    const problems: ValidationProblem[] = [];
    for (const p of spec.properties) {
        if (!(p.property in wanted)) continue;
        const asked = wanted[p.property];
        const has = reported[p.property];
        if ((p.matches ?? sameValue)(has, asked)) continue;
        const hasText = p.describeReported ? p.describeReported(has) : blank(has) ? `no ${p.property}` : `${p.property} ${JSON.stringify(has)}`;
        problems.push({
            path: p.argument,
            given: p.describeWanted ? p.describeWanted(asked) : describeGiven(asked),
            allowed:
                `${spec.label} has ${hasText}, fixed when it was created; AWS cannot change it in place, so this would replace ${spec.label} and lose ${spec.loses} (${spec.source}). ` +
                `Keep the value it has, or set ${spec.allowArgument} to true to replace it`,
        });
    }
    return problems;
}

/** An Output's value and whether it is known (at preview, outputs of resources being created are not). */
export async function observe(value: pulumi.Input<unknown> | undefined): Promise<{ known: boolean; value: unknown }> {
    if (!pulumi.Output.isInstance(value)) return { known: true, value: await value };
    // `isKnown` and `promise()` are internal members of the Node SDK's OutputImpl (@pulumi/pulumi output.ts); the
    // public `apply` skips its callback when a value is unknown, which is exactly the case to tell apart here.
    const impl = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    const [known, resolved] = await Promise.all([impl.isKnown, impl.promise()]);
    return { known, value: resolved };
}

/**
 * The error keeps its message: the Node SDK prefixes `error serializing property "<key>": ` to a rejection's message
 * each time it passes through a property it serialises (the same error object, once per consumer), which would bury
 * the one line the user needs under the component's internal property paths. Its stack is the message alone.
 */
export function keepMessage<E extends Error>(error: E): E {
    const text = error.message;
    Object.defineProperty(error, "message", { get: () => text, set: () => undefined, enumerable: false, configurable: true });
    // The message is the whole report: the Node SDK prints `stack`, and the component's call sites mean nothing to users.
    Object.defineProperty(error, "stack", { value: `${error.name}: ${text}`, writable: true, enumerable: false, configurable: true });
    return error;
}

/** A component's refusal found after construction (at preview or deployment): one ComponentValidationError that keeps its message (keepMessage). */
export function deploymentRefusal(component: string, resourceName: string, problems: ValidationProblem[]): ComponentValidationError {
    return keepMessage(new ComponentValidationError(component, resourceName, problems));
}

interface Watch {
    resource: pulumi.CustomResource;
    spec: GuardedResource;
}

/**
 * The replacement guard of one component: watch each guarded resource, then `release` the arguments other resources
 * consume and the component's outputs through it. One check for all watched resources, one error for all problems.
 */
export class ReplacementGuard {
    private readonly watches: Watch[] = [];
    private checked?: pulumi.Output<boolean>;

    constructor(
        readonly component: string,
        readonly resourceName: string,
    ) {}

    /** Guards `resource` (created with `replacementIgnoreChanges(spec)` in its ignoreChanges). Before the first release. */
    watch(resource: pulumi.CustomResource, spec: GuardedResource): void {
        if (this.checked) throw new Error("ReplacementGuard: watch after release");
        this.watches.push({ resource, spec });
    }

    /** The problems the watched resources report now (rejects with nothing else). */
    async problems(): Promise<ValidationProblem[]> {
        const all: ValidationProblem[] = [];
        for (const { resource, spec } of this.watches) {
            if (spec.allow) continue;
            const id = await observe(resource.id);
            if (!id.known || !id.value) continue; // being created: nothing to lose
            const reported: Record<string, unknown> = {};
            const wanted: Record<string, unknown> = {};
            for (const p of spec.properties) {
                const has = await observe((resource as unknown as Record<string, pulumi.Output<unknown>>)[p.property]);
                reported[p.property] = has.known ? has.value : undefined; // not returned by the provider: none
                const asked = await observe(p.wanted);
                if (asked.known) wanted[p.property] = asked.value;
            }
            all.push(...replacementProblems(spec, reported, wanted));
        }
        return all;
    }

    /** True once every watched resource honours the asks; fails with one ComponentValidationError otherwise. */
    get check(): pulumi.Output<boolean> {
        this.checked ??= pulumi.output(
            this.problems().then((problems) => {
                if (problems.length) throw deploymentRefusal(this.component, this.resourceName, problems);
                return true;
            }),
        );
        return this.checked;
    }

    /** `value` once the check passed (same value, secretness and dependencies); the check's error otherwise. */
    release<T>(value: pulumi.Input<T>): pulumi.Output<T> {
        return pulumi.all([this.check, value]).apply(([, v]) => v as T);
    }
}
