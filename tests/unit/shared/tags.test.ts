import { describe, expect, it } from "vitest";
import { standardTags } from "../../../provider/src/shared/tags";

describe("standardTags", () => {
    it("gives the standard set with the user's tags winning", () => {
        const tags = standardTags({
            stage: "pr-7",
            pulumiProject: "skreg",
            pulumiStack: "dev",
            componentTags: { Account: "sandpit", Owner: undefined },
            userTags: { Project: "registry", Team: "platform" },
        });
        expect(tags).toEqual({
            Account: "sandpit",
            ManagedBy: "rampart",
            Project: "registry",
            PulumiProject: "skreg",
            PulumiStack: "dev",
            Stage: "pr-7",
            Team: "platform",
        });
        expect(Object.keys(tags)).toEqual([...Object.keys(tags)].sort());
    });

    it("lets the user override ManagedBy and Stage too", () => {
        const tags = standardTags({ stage: "a", pulumiProject: "p", pulumiStack: "s", userTags: { ManagedBy: "team-x" } });
        expect(tags.ManagedBy).toBe("team-x");
    });
});
