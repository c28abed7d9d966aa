import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, ensureDist, toolsReady, UserMachine, VERSION } from "./user";

// A Go user: a new module that requires github.com/rampart-iac/pulumi-rampart/sdk at the release
// version, with a `replace` to the module `npm run dist` built (as it would be tagged sdk/vX.Y.Z),
// `go build`, then the program run under Pulumi mocks: the component registers with its arguments
// and the plugin version the SDK carries.
const MODULE = "github.com/rampart-iac/pulumi-rampart/sdk";

describe.skipIf(!toolsReady())("Go SDK module through a replace", () => {
    let user: UserMachine;
    let project: string;
    const timings: Record<string, number> = {};

    // Writing and compiling the program happen here, outside the timed test: a first Go build on a
    // cold 2-core machine takes minutes, and only what the program does is under test.
    beforeAll(() => {
        ensureDist();
        user = new UserMachine("go");
        project = user.dir("app");
        writeFileSync(join(project, "go.mod"), [
            "module example.com/installgo",
            "",
            "go 1.25.11",
            "",
            `require ${MODULE} v${VERSION}`,
            "",
            `replace ${MODULE} => ${artifacts.goModule}`,
            "",
        ].join("\n"));
        // The module's own go.sum covers its dependencies (no checksum database is reachable here).
        copyFileSync(join(artifacts.goModule, "go.sum"), join(project, "go.sum"));
        writeFileSync(join(project, "main.go"), `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/rampart-iac/pulumi-rampart/sdk/go/rampart"
)

type mocks struct {
	mu   sync.Mutex
	seen []map[string]any
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen = append(m.seen, map[string]any{
		"type": args.TypeToken, "name": args.Name, "version": args.RegisterRPC.GetVersion(),
		"stage": args.Inputs["stage"].StringValue(), "accountAlias": args.Inputs["accountAlias"].StringValue(),
		"policyDir": args.Inputs["policyStore"].ObjectValue()["policyDir"].StringValue(),
	})
	outs := resource.PropertyMap{"policyStoreId": resource.NewStringProperty("ps-" + args.Inputs["stage"].StringValue())}
	return args.Name + "-id", outs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return resource.PropertyMap{}, nil }

func main() {
	m := &mocks{}
	ids := make(chan string, 1)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		authz, err := rampart.NewAuthorizerWithPolicyStore(ctx, "docs", &rampart.AuthorizerWithPolicyStoreArgs{
			Stage:        "pr-7",
			AccountAlias: "sandpit",
			PolicyStore:  rampart.PolicyStoreConfigArgs{PolicyDir: pulumi.StringRef("policies")},
		})
		if err != nil {
			return err
		}
		// An output every configuration has is a plain StringOutput (required in the schema): no pointer, no Elem().
		authz.PolicyStoreId.ApplyT(func(id string) string { ids <- id; return id })
		return nil
	}, pulumi.WithMocks("install-go", "dev", m))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, _ := json.Marshal(map[string]any{"resources": m.seen, "policyStoreId": <-ids})
	fmt.Println(string(out))
}
`);
        const build = user.run("go", ["build", "-mod=mod", "-o", "app", "."], project, { env: { GOFLAGS: "-mod=mod", GONOSUMDB: MODULE }, timeoutSeconds: 1200 });
        timings.goBuild = build.seconds;
    }, 25 * 60_000);
    afterAll(() => {
        console.log(`install test (go) timings, s: ${JSON.stringify(timings)}`);
        user?.dispose();
    });

    it("go builds and runs a program using the module", () => {
        const run = user.run(join(project, "app"), [], project);
        timings.run = run.seconds;
        const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
        const component = result.resources.find((r: { type: string }) => r.type === "rampart:index:AuthorizerWithPolicyStore");
        expect(component).toEqual({ type: "rampart:index:AuthorizerWithPolicyStore", name: "docs", version: VERSION, stage: "pr-7", accountAlias: "sandpit", policyDir: "policies" });
        expect(result.policyStoreId).toBe("ps-pr-7");
    }, 300_000);
});
