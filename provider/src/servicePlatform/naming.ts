import { ComponentScope } from "../shared/scope";

export function iamRoleName(scope: ComponentScope, suffix: string): string {
    return scope.physical("iamRoleName", suffix);
}

/** A `Name` tag value: `<platform>-<stage>[-<suffix>]`. */
export function label(scope: ComponentScope, suffix?: string): string {
    return scope.physical("label", suffix);
}
