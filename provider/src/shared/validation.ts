// Deep imports (the same classes the root exports): the plugin host reports type errors with
// ComponentValidationError before it loads the components, and the root of @pulumi/pulumi costs
// about 0.5 s to load.
import { RunError } from "@pulumi/pulumi/errors";
import { Output, OutputInstance } from "@pulumi/pulumi/output";

/** One invalid argument: where it is, what was given, what would have been accepted. */
export interface ValidationProblem {
    path: string;
    given: string;
    allowed: string;
}

/**
 * Stage names: lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32
 * characters. The stage is part of names whose services forbid capitals, a hyphen at the end and two hyphens in a row:
 * RDS DB instance identifiers (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints),
 * S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), ElastiCache cache names
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.Create.html), load balancer and target group names
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html). A stage those
 * services would reject could only be cleaned into another stage's name (`pr-` into `pr`), so it is refused.
 */
export const STAGE_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Longest stage (the pattern is kept to what bash's =~ understands, so scripts/stack-name.sh shares it). */
export const STAGE_MAX_LENGTH = 32;

/** Whether a stage name is valid: STAGE_PATTERN and at most STAGE_MAX_LENGTH characters. */
export function isValidStage(value: unknown): boolean {
    return typeof value === "string" && value.length <= STAGE_MAX_LENGTH && STAGE_PATTERN.test(value);
}
export const STAGE_RULE = "lowercase letters, digits and single hyphens, starting and ending with a letter or digit, 1-32 characters";
export const ACCOUNT_ALIAS_PATTERN = /^[a-z0-9-]{1,20}$/;
export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * Thrown when a component's arguments are invalid. Lists every problem, one per line, as
 * `<Component> "<name>": <arg.path>: <what was given>; <what is allowed>`.
 *
 * A RunError, so that a TypeScript or JavaScript program that throws it prints its message only:
 * Pulumi's Node.js runtime prints any other error with its stack trace and every field (in colour).
 * The plugin host hands it to the engine as an InputPropertiesError with this message only
 * (provider/src/host/provider.ts, forTheEngine), so Python, Go and YAML programs print each problem
 * once.
 */
export class ComponentValidationError extends RunError {
    readonly component: string;
    readonly resourceName: string;
    readonly problems: readonly ValidationProblem[];

    constructor(component: string, resourceName: string, problems: readonly ValidationProblem[]) {
        const lines = problems.map((p) => formatProblem(component, resourceName, p));
        const heading =
            problems.length === 1
                ? `${component} "${resourceName}" has an invalid argument:`
                : `${component} "${resourceName}" has ${problems.length} invalid arguments:`;
        super([heading, ...lines.map((l) => `  ${l}`)].join("\n"));
        this.name = "ComponentValidationError";
        this.component = component;
        this.resourceName = resourceName;
        this.problems = problems;
    }
}

export function formatProblem(component: string, resourceName: string, p: ValidationProblem): string {
    return `${component} "${resourceName}": ${p.path}: ${p.given}; ${p.allowed}`;
}

/** True when the value is known now (not an Output or a promise), so it can be checked at preview time. */
export function isKnown<T>(value: T | Output<T> | OutputInstance<T> | Promise<T> | undefined): value is T {
    return !Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * True when the value and, for a list, each of its items are known now: `[client.id]` in TypeScript is a known list
 * of Outputs, which is checked as a whole when it resolves.
 */
export function isKnownWithItems(value: unknown): boolean {
    return isKnown(value) && (!Array.isArray(value) || value.every((item) => isKnown(item)));
}

/** The problems one check finds (a fresh Validator's), for checks run when an Output resolves. Pure. */
export function problemsOf(component: string, check: (v: Validator) => void): ValidationProblem[] {
    const v = new Validator(component, "");
    check(v);
    return v.found();
}

/** Renders a given value for an error message: quoted, shortened, never a secret's contents. */
export function describeGiven(value: unknown): string {
    if (value === undefined) return "nothing was given";
    if (value === null) return "got null";
    if (Output.isInstance(value) || value instanceof Promise) return "got a value known only at deployment";
    let text: string;
    if (typeof value === "string") text = JSON.stringify(value);
    else if (typeof value === "number" || typeof value === "boolean") text = String(value);
    else {
        try {
            text = JSON.stringify(value) ?? String(value);
        } catch {
            text = String(value);
        }
    }
    if (text.length > 120) text = `${text.slice(0, 117)}...`;
    return `got ${text}`;
}

/**
 * Collects every problem with a component's arguments so that one error reports them all.
 * Checks skip values that are unknown until deployment (outputs of other resources).
 */
export class Validator {
    private readonly problems: ValidationProblem[] = [];

    constructor(
        readonly component: string,
        readonly resourceName: string,
    ) {}

    /** The problems recorded so far. */
    found(): ValidationProblem[] {
        return [...this.problems];
    }

    /** Records a problem; `given` is the raw value (rendered by describeGiven) unless `givenText` is set. */
    problem(path: string, given: unknown, allowed: string, givenText?: string): void {
        this.problems.push({ path, given: givenText ?? describeGiven(given), allowed });
    }

    required(path: string, value: unknown, allowed: string): boolean {
        if (value === undefined || value === null || value === "") {
            this.problem(path, value, allowed);
            return false;
        }
        return true;
    }

    pattern(path: string, value: unknown, pattern: RegExp, allowed: string): void {
        if (value === undefined || !isKnown(value)) return;
        if (typeof value !== "string" || !pattern.test(value)) {
            this.problem(path, value, `${allowed} (${pattern.source})`);
        }
    }

    oneOf<T extends string>(path: string, value: unknown, choices: readonly T[]): void {
        if (value === undefined || !isKnown(value)) return;
        if (!choices.includes(value as T)) {
            this.problem(path, value, `one of ${choices.map((c) => `"${c}"`).join(", ")}`);
        }
    }

    integerInRange(path: string, value: unknown, min: number, max: number): void {
        if (value === undefined || !isKnown(value)) return;
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            this.problem(path, value, `an integer from ${min} to ${max}`);
        }
    }

    stage(path: string, value: unknown): void {
        if (!this.required(path, value, `a stage name is required: ${STAGE_RULE}`)) return;
        if (isKnown(value) && !isValidStage(value)) this.problem(path, value, `${STAGE_RULE} (${STAGE_PATTERN.source})`);
    }

    accountAlias(path: string, value: unknown): void {
        if (!this.required(path, value, `an account alias is required: lowercase letters, digits and hyphens, 1-20 characters`)) return;
        this.pattern(path, value, ACCOUNT_ALIAS_PATTERN, "lowercase letters, digits and hyphens, 1-20 characters");
    }

    tags(path: string, value: unknown): void {
        if (value === undefined || !isKnown(value)) return;
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            this.problem(path, value, "a map of tag keys to string values");
            return;
        }
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
            if (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith("aws:")) {
                this.problem(`${path}.${key}`, key, "tag keys are 1-128 characters and must not start with \"aws:\"");
            }
            if (isKnown(v) && (typeof v !== "string" || v.length > 256)) {
                this.problem(`${path}.${key}`, v, "tag values are strings of at most 256 characters");
            }
        }
    }

    /** Checks an ARN's shape and, when given, its service and resource type prefix. */
    arn(path: string, value: unknown, expect: { service?: string; resourcePrefix?: string } = {}): void {
        if (value === undefined || !isKnown(value)) return;
        const parsed = typeof value === "string" ? parseArn(value) : undefined;
        const what = [expect.service && `${/^[aeiou]/.test(expect.service) ? "an" : "a"} ${expect.service}`, "ARN", expect.resourcePrefix && `for "${expect.resourcePrefix}..."`]
            .filter(Boolean)
            .join(" ");
        if (!parsed) {
            this.problem(path, value, `${what} (arn:<partition>:<service>:<region>:<account>:<resource>)`);
            return;
        }
        if (expect.service && parsed.service !== expect.service) {
            this.problem(path, value, what);
            return;
        }
        if (expect.resourcePrefix && !parsed.resource.startsWith(expect.resourcePrefix)) {
            this.problem(path, value, what);
        }
    }

    unique(path: string, values: readonly unknown[], label = "value"): void {
        const seen = new Map<unknown, number>();
        values.forEach((v, i) => {
            if (v === undefined || !isKnown(v)) return;
            const first = seen.get(v);
            if (first !== undefined) {
                this.problem(`${path}[${i}]`, v, `each ${label} must be unique; ${path}[${first}] already uses it`);
            } else {
                seen.set(v, i);
            }
        });
    }

    get count(): number {
        return this.problems.length;
    }

    /** Throws one ComponentValidationError listing every recorded problem, if there is any. */
    throwIfInvalid(): void {
        if (this.problems.length > 0) {
            throw new ComponentValidationError(this.component, this.resourceName, [...this.problems]);
        }
    }
}

export interface ParsedArn {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

export function parseArn(value: string): ParsedArn | undefined {
    const m = ARN_PATTERN.exec(value);
    if (!m) return undefined;
    return { partition: m[1], service: m[2], region: m[3], account: m[4] ?? "", resource: m[5] };
}
