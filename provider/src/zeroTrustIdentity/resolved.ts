// ZeroTrustIdentity arguments that may be Outputs of other resources, checked when they resolve (issue 16): the same
// check functions validate.ts applies at preview, run on the resolved value, failing with the component's one error.
import * as pulumi from "@pulumi/pulumi";
import { checkedWhenResolved } from "../shared/resolvedValidation";
import { Validator } from "../shared/validation";
import { COMPONENT, problemsOf, resolvesLater } from "./validate";

/** A single value (an image, one ARN, one CIDR block), as an Output that fails with the one error when `check` finds problems. */
export function checkedValue<T>(resourceName: string, value: pulumi.Input<T>, check: (v: Validator, resolved: pulumi.Unwrap<T>) => void): pulumi.Output<pulumi.Unwrap<T>> {
    return checkedWhenResolved(COMPONENT, resourceName, value, (resolved) => problemsOf((v) => check(v, resolved)));
}

/**
 * A list argument as an Output of the resolved list. A plain list whose items are all known was checked at preview and
 * is used as it is; an Output of a list, or a plain list with an Output item, is checked (whole) once it resolves.
 */
export function checkedList(resourceName: string, list: pulumi.Input<pulumi.Input<string>[]>, check: (v: Validator, resolved: string[]) => void): pulumi.Output<string[]> {
    return checkedWhenResolved(COMPONENT, resourceName, resolvesLater(list) ? pulumi.output(list) : list, (resolved) => problemsOf((v) => check(v, resolved as string[]))) as pulumi.Output<string[]>;
}
