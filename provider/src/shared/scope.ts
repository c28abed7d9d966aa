import * as pulumi from "@pulumi/pulumi";
import { NamingRule, NamingRuleName, physicalName } from "./naming";
import { Profile } from "./profile";
import { standardTags } from "./tags";

export interface ScopeArgs {
    stage: string;
    profile: Profile;
    /** The user's `tags` argument. */
    userTags?: Record<string, string>;
    /** Extra standard tags of the component (for example `Account`, `Repo`). */
    componentTags?: Record<string, string | undefined>;
    /** The profile (or the user's argument) asks to keep data stores on destroy. Only ever adds: `false` leaves the user's own option in force. */
    retainOnDelete: boolean;
    /** The profile (or the user's argument) asks to set Pulumi's `protect` on data stores. Only ever adds, like `retainOnDelete`. */
    protectDataStores?: boolean;
}

/**
 * What every child resource of a component needs: its logical name, its physical name, the standard
 * tags, and options that parent it to the component. Components create one scope and pass it to the
 * functions that create their resources.
 */
export class ComponentScope {
    readonly component: pulumi.ComponentResource;
    readonly name: string;
    readonly stage: string;
    readonly profile: Profile;
    readonly tags: Record<string, string>;
    readonly retainOnDelete: boolean;
    readonly protectDataStores: boolean;
    private gate?: Promise<never[]>;

    constructor(component: pulumi.ComponentResource, name: string, args: ScopeArgs) {
        this.component = component;
        this.name = name;
        this.stage = args.stage;
        this.profile = args.profile;
        this.retainOnDelete = args.retainOnDelete;
        this.protectDataStores = args.protectDataStores ?? false;
        this.tags = standardTags({ stage: args.stage, userTags: args.userTags, componentTags: args.componentTags });
    }

    get production(): boolean {
        return this.profile === Profile.Production;
    }

    /** Logical (Pulumi) name of a child: `<component name>-<suffix>`. */
    child(...suffix: string[]): string {
        return [this.name, ...suffix].join("-");
    }

    /** Physical (AWS) name of a child: `<component name>-<stage>[-<suffix>]`, within the service's limits. */
    physical(rule: NamingRuleName | NamingRule, suffix?: string): string {
        return physicalName(rule, { prefix: this.name, stage: this.stage, suffix });
    }

    /** Tags plus a `Name` tag, for resources the console lists by name. */
    named(name: string): Record<string, string> {
        return { ...this.tags, Name: name };
    }

    /**
     * Options for an ordinary child: parented to the component, and nothing else, so the child inherits what the
     * user gave the component. `protect` is inherited by the Node SDK (`Resource` copies the parent's when the child
     * sets none), `retainOnDelete` and `deletedWith` by the engine (`inheritFromParent` in the resource monitor fills
     * them in when the registration leaves them unset), providers through the parent's provider map. This holds for
     * components constructed through the plugin too: the Construct request carries the user's options to the
     * component, whose children then inherit from it. See docs/resource-options.md.
     */
    opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return this.gated({ parent: this.component, ...extra });
    }

    /**
     * Makes every child registered after this call wait for `check` before it is registered, and fail with its error
     * if it rejects: a check against the account (for example `findLeftBehind`) that must pass before anything is
     * created, changed or deleted, at preview and at `up`. The wait is an entry of `dependsOn` that resolves to no
     * resource, so it adds no dependency to the state.
     */
    gateChildren(check: Promise<void>): void {
        const gate = check.then(() => [] as never[]);
        gate.catch(() => undefined); // consumers see the rejection; this only marks it handled
        this.gate = gate;
    }

    private gated(options: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        if (!this.gate) return options;
        const own = options.dependsOn === undefined ? [] : [options.dependsOn];
        return { ...options, dependsOn: [this.gate, ...own] as pulumi.Input<pulumi.Resource>[] };
    }

    /**
     * Options for a data store (database, bucket, table, registry, key): like `opts`, plus `retainOnDelete: true` and
     * `protect: true` when the profile or the user's arguments ask for them. A profile only ever adds protection: it
     * never sets either option to `false`, which would override what the child inherits from the user's options on
     * the component.
     */
    dataOpts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return this.gated({
            parent: this.component,
            ...(this.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(this.protectDataStores ? { protect: true } : {}),
            ...extra,
        });
    }
}
