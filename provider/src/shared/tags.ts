import * as pulumi from "@pulumi/pulumi";

export const MANAGED_BY = "rampart";

export interface StandardTagInputs {
    /** The component's stage. */
    stage: string;
    /** Extra tags a component adds on top of the standard set (for example `Account`, `Repo`, `Owner`, `TTL`). */
    componentTags?: Record<string, string | undefined>;
    /** The user's `tags` argument: wins over everything else. */
    userTags?: Record<string, string>;
    /** Defaults to the Pulumi project and stack of the running program. */
    pulumiProject?: string;
    pulumiStack?: string;
}

/**
 * The tag set every taggable child resource gets: `Project`, `Stage`, `ManagedBy`, `PulumiProject`,
 * `PulumiStack`, then the component's own extra tags, then the user's tags (the user wins on conflict).
 * `Project` defaults to the Pulumi project name.
 */
export function standardTags(inputs: StandardTagInputs): Record<string, string> {
    const pulumiProject = inputs.pulumiProject ?? pulumi.getProject();
    const pulumiStack = inputs.pulumiStack ?? pulumi.getStack();
    const tags: Record<string, string> = {
        Project: pulumiProject,
        Stage: inputs.stage,
        ManagedBy: MANAGED_BY,
        PulumiProject: pulumiProject,
        PulumiStack: pulumiStack,
    };
    for (const [key, value] of Object.entries(inputs.componentTags ?? {})) {
        if (value !== undefined && value !== "") tags[key] = value;
    }
    return sortKeys({ ...tags, ...(inputs.userTags ?? {}) });
}

function sortKeys(tags: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
}
