/** The contract between the OFFLINE STAND-IN provider (provider.ts) and its per-package models. */
import type { CheckFailure } from "@pulumi/pulumi/provider";
import type { Props } from "./values";

export type StandInPackage = "aws" | "tls" | "random";

/** Provider configuration as delivered by Configure (`aws:region` and friends), plus env fallbacks. */
export interface StandInConfig {
    /** Raw configuration variables, keys like `aws:region` (the `:config:` infix removed). */
    vars: Record<string, string>;
}

export interface ResourceContext {
    urn: string;
    /** Type token, e.g. `aws:ec2/vpc:Vpc`. */
    type: string;
    /** Logical (Pulumi) name from the URN. */
    name: string;
    /** Plain inputs (secrets unwrapped). */
    inputs: Props;
    config: StandInConfig;
}

export interface PackageModel {
    /** Schema defaults the real provider fills into the checked inputs. */
    defaults(type: string): Props;
    /** Inputs the provider adds during Check (autonaming), given old and new checked inputs. */
    checkAdditions(ctx: ResourceContext, oldInputs: Props | undefined): Props;
    /** Cheap validation only. */
    validate(ctx: ResourceContext): CheckFailure[];
    /** Keys that are computed outputs for this resource (removing them from the program is no change). */
    computedKeys(ctx: ResourceContext, id: string, state: Props): string[];
    /** The input Pulumi autonames for this type (`name`, `bucket`, `identifier`, ...), if any. */
    autonameProperty?(type: string): string | undefined;
    /** Whether changing this top-level input from `oldValue` to `newValue` forces a replacement. */
    forcesReplacement(type: string, key: string, oldValue?: unknown, newValue?: unknown): boolean;
    /** Computed outputs for a new resource (inputs are merged in by the provider). */
    create(ctx: ResourceContext): { id: string; outs: Props };
    /** Computed outputs after an in-place update of resource `id` whose old state is `state`. */
    update(ctx: ResourceContext, id: string, state: Props): Props;
    /** Data sources (functions). Throws for tokens it does not implement. */
    invoke(token: string, args: Props, config: StandInConfig): Props;
}

export function notImplemented(pkg: string, token: string): Error {
    return new Error(`the OFFLINE STAND-IN for the ${pkg} provider does not implement the function "${token}"`);
}
