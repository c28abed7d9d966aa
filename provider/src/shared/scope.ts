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
    /** Keep data stores on destroy. */
    retainOnDelete: boolean;
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

    constructor(component: pulumi.ComponentResource, name: string, args: ScopeArgs) {
        this.component = component;
        this.name = name;
        this.stage = args.stage;
        this.profile = args.profile;
        this.retainOnDelete = args.retainOnDelete;
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

    /** Options for an ordinary child: parented to the component. */
    opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this.component, ...extra };
    }

    /** Options for a data store (database, bucket, table, registry): retained on destroy when asked. */
    dataOpts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
        return { parent: this.component, retainOnDelete: this.retainOnDelete, ...extra };
    }
}
