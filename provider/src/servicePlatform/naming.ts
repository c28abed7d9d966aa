import { NamingRule } from "../shared/naming";
import { ComponentScope } from "../shared/scope";

/** App Runner auto-scaling configuration names: 4-32 characters, letter or digit first. */
export const APP_RUNNER_AUTOSCALING_RULE: NamingRule = { maxLength: 32, allowed: "-_", alphanumericStart: true };
/** App Runner VPC connector names: 4-40 characters. */
export const APP_RUNNER_CONNECTOR_RULE: NamingRule = { maxLength: 40, allowed: "-_", alphanumericStart: true };
/** CloudFront origin access control names. */
export const ORIGIN_ACCESS_CONTROL_RULE: NamingRule = { maxLength: 64, allowed: "-_.", alphanumericStart: true };
/** Names shown in the console (`Name` tags): any characters, kept short. */
export const LABEL_RULE: NamingRule = { maxLength: 128, allowed: "-_./" };

export function iamRoleName(scope: ComponentScope, suffix: string): string {
    return scope.physical("iamRoleName", suffix);
}

/** A `Name` tag value: `<platform>-<stage>[-<suffix>]`. */
export function label(scope: ComponentScope, suffix?: string): string {
    return scope.physical(LABEL_RULE, suffix);
}
