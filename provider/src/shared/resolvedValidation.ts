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
