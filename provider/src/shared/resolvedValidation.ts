// Validation of arguments that may be Outputs of other resources (issue 16): what is known when the component is
// constructed is checked there, in one error with everything else (each component's validate.ts); what is known only
// later (another resource's output, unknown at preview) is checked here when it resolves, with the same pure problem
// function and the same one-error format. No resources are created inside the apply.
import * as pulumi from "@pulumi/pulumi";
import { deploymentRefusal } from "./replacementGuard";
import { isKnown, ValidationProblem } from "./validation";

/**
 * The value as an Output that fails with one ComponentValidationError when its resolved value has problems. A value
 * known at construction is returned as it is (`pulumi.output`): validate.ts has checked it already, so its problems
 * are reported once, at preview, together with the component's other problems.
 */
export function checkedWhenResolved<T>(
    component: string,
    resourceName: string,
    value: pulumi.Input<T>,
    problems: (resolved: pulumi.Unwrap<T>) => ValidationProblem[],
): pulumi.Output<pulumi.Unwrap<T>> {
    if (isKnown(value)) return pulumi.output(value);
    return pulumi.output(value).apply((resolved) => {
        const found = problems(resolved);
        if (found.length > 0) throw deploymentRefusal(component, resourceName, found);
        return resolved;
    });
}

/**
 * The look-up of something the user adopted by id (a policy store, a user pool), with a failure reported as the
 * component's one error naming the argument, instead of the invoke's own error and the SDK's stack trace. The usual
 * cause is that the stack that owned it was destroyed, or the id is from another account or Region.
 */
export async function adoptedLookup<T>(component: string, resourceName: string, path: string, id: string, what: string, lookup: () => Promise<T>): Promise<T> {
    try {
        return await lookup();
    } catch (e) {
        const answer = (e instanceof Error ? e.message : String(e)).replace(/^.*returned an error: /s, "").split("\n")[0].trim();
        throw deploymentRefusal(component, resourceName, [
            {
                path,
                given: `got ${JSON.stringify(id)}`,
                allowed: `the id of ${what} in this stack's account and Region${answer ? `; the look-up answered: ${answer}` : ""} (was the stack that owns it destroyed, or is it in another account or Region?)`,
            },
        ]);
    }
}
