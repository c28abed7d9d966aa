// Unit tests of the program under Pulumi's Go mocks: no engine, no plugin, no AWS.
//
// ZeroTrustIdentity from the generated Go SDK is a remote component: the program only registers
// it (type rampart:index:ZeroTrustIdentity) with its arguments, and the plugin builds the
// children. Under mocks that plugin never runs, so the mock's NewResource receives the component
// itself, with the inputs as they would reach the plugin, and the state it returns becomes the
// component's outputs. These tests therefore check what this program is responsible for: that it
// registers the component once, with exactly the intended arguments, and exports its outputs. The
// child resources are checked by the end-to-end tests that run this project through the engine.
//
// Run: go test ./...
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const componentType = "rampart:index:ZeroTrustIdentity"

// The state the mock returns for the component: values the program cannot compute itself, so an
// exported value equal to one of these came from the component's outputs.
var mockState = map[string]interface{}{
	"trustDomain":                "mock.unkey.cloud",
	"rootCaCertificatePem":       "-----BEGIN CERTIFICATE-----\nmock\n-----END CERTIFICATE-----\n",
	"rootCaCertificateSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock-cert",
	"crlUrl":                     "https://mock-pki.s3.us-east-1.amazonaws.com/.well-known/crl.pem",
	"spireServerAddress":         "internal-mock.elb.us-east-1.amazonaws.com:8081",
	"trustBundleUrl":             "https://mock-pki.s3.us-east-1.amazonaws.com/spire/bundle.json",
	"serverConfigParameterName":  "/rampart/unkey/mock/spire/server.conf",
	"registrationEntries":        `{"entries":[]}`,
	"githubOidcProviderArn":      "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
	"roleArns": map[string]interface{}{
		"deploy":   "arn:aws:iam::123456789012:role/mock-deploy",
		"executor": "arn:aws:iam::123456789012:role/UnkeyPulumiAWSExecutor",
	},
}

// registration is one resource the program registered.
type registration struct {
	Type, Name string
	Custom     bool
	Remote     bool
	Inputs     map[string]interface{}
}

type mocks struct {
	mu        sync.Mutex
	resources []registration
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources = append(m.resources, registration{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Remote: args.RegisterRPC != nil && args.RegisterRPC.GetRemote(),
		Inputs: args.Inputs.Mappable(),
	})
	if args.TypeToken == componentType {
		return "", resource.NewPropertyMapFromMap(mockState), nil
	}
	return args.Name + "-id", args.Inputs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("the program makes no calls, got %s", args.Token)
}

// The config the program requires (a network and the management CI role), as a stack would set it.
var requiredConfig = map[string]string{
	"vpcId":               "vpc-0123456789abcdef0",
	"subnetIds":           `["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]`,
	"managementCiRoleArn": "arn:aws:iam::111111111111:role/GitHubActionsOIDCRole",
}

// run runs body under mocks as stack "dev" of project zero-trust-go, with the required config and the given stack config.
func run(t *testing.T, config map[string]string, body pulumi.RunFunc) *mocks {
	t.Helper()
	values := map[string]string{}
	for k, v := range requiredConfig {
		values["zero-trust-go:"+k] = v
	}
	for k, v := range config {
		values["zero-trust-go:"+k] = v
	}
	encoded, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PULUMI_CONFIG", string(encoded))
	m := &mocks{}
	if err := pulumi.RunErr(body, pulumi.WithMocks("zero-trust-go", "dev", m)); err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return m
}

// component returns the one ZeroTrustIdentity the program registered, failing otherwise.
func (m *mocks) component(t *testing.T) registration {
	t.Helper()
	var found []registration
	for _, r := range m.resources {
		if r.Type == componentType {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want 1 %s, got %d: %+v", componentType, len(found), m.resources)
	}
	return found[0]
}

func asJSON(v interface{}) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// The arguments the program gives the component with only the required stack config, written out in full.
func defaultInputs() map[string]interface{} {
	workload := func(name string) map[string]interface{} {
		return map[string]interface{}{
			"name": name,
			"path": "/service/" + name,
			"selectors": []interface{}{
				map[string]interface{}{"type": "unix", "value": "path:/usr/local/bin/" + name},
				map[string]interface{}{"type": "systemd", "value": "id:" + name + ".service"},
			},
		}
	}
	return map[string]interface{}{
		"stage":       "dev",
		"trustDomain": "unkey.cloud",
		"trustRoot": map[string]interface{}{
			"mode":         "generated",
			"keyAlgorithm": "rsa4096",
			"organization": "Unkey",
			"crl":          true,
		},
		"spire": map[string]interface{}{
			"vpcId":             "vpc-0123456789abcdef0",
			"subnetIds":         []interface{}{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"},
			"allowedCidrBlocks": []interface{}{"10.0.0.0/16"},
		},
		"agents": map[string]interface{}{
			"targetTag": map[string]interface{}{"key": "spire-agent", "value": "enabled"},
		},
		"workloads": []interface{}{workload("metald"), workload("billaged"), workload("builderd"), workload("assetmanagerd")},
		"githubOidc": map[string]interface{}{
			"roles": []interface{}{map[string]interface{}{
				"name":       "deploy",
				"repository": "unkeyed/unkey",
				"branches":   []interface{}{"main"},
				"assumableRoleArns": []interface{}{
					"arn:aws:iam::222222222222:role/UnkeyPulumiAWSExecutor",
					"arn:aws:iam::333333333333:role/UnkeyPulumiAWSExecutor",
				},
			}},
		},
		"executorRoles": []interface{}{map[string]interface{}{
			"name":                 "executor",
			"trustedPrincipalArns": []interface{}{"arn:aws:iam::111111111111:role/GitHubActionsOIDCRole"},
		}},
	}
}

func TestRegistersTheComponentOnceAsARemoteComponent(t *testing.T) {
	m := run(t, nil, Program)
	c := m.component(t)
	if c.Name != "unkey" {
		t.Errorf("component name: want %q, got %q", "unkey", c.Name)
	}
	if c.Custom || !c.Remote {
		t.Errorf("want a remote component resource (custom=false, remote=true), got custom=%v remote=%v", c.Custom, c.Remote)
	}
	// Under mocks nothing else is registered: the children are the plugin's job.
	for _, r := range m.resources {
		if r.Type != componentType {
			t.Errorf("unexpected resource %s %q", r.Type, r.Name)
		}
	}
}

func TestInputsAreExactlyTheIntendedArguments(t *testing.T) {
	got := run(t, nil, Program).component(t).Inputs
	if want := defaultInputs(); !reflect.DeepEqual(got, want) {
		t.Errorf("component inputs differ\nwant: %s\ngot:  %s", asJSON(want), asJSON(got))
	}
}

// Seed 004's services, with the selectors SPIRE accepts (its `systemd:unit:` does not exist).
func TestWorkloadsAreSeed004sServicesWithValidSelectors(t *testing.T) {
	inputs := run(t, nil, Program).component(t).Inputs
	if inputs["trustDomain"] != "unkey.cloud" {
		t.Errorf("trustDomain: got %v", inputs["trustDomain"])
	}
	workloads, _ := inputs["workloads"].([]interface{})
	var names []string
	for i, w := range workloads {
		workload := w.(map[string]interface{})
		name, _ := workload["name"].(string)
		names = append(names, name)
		if want := "/service/" + name; workload["path"] != want {
			t.Errorf("workloads[%d].path: want %q, got %v", i, want, workload["path"])
		}
		var selectors []string
		for _, s := range workload["selectors"].([]interface{}) {
			selector := s.(map[string]interface{})
			typ, value := selector["type"].(string), selector["value"].(string)
			selectors = append(selectors, typ+":"+value)
			if typ == "systemd" && strings.HasPrefix(value, "unit:") {
				t.Errorf("workloads[%d]: systemd selector %q: SPIRE's systemd attestor selects by id:<unit>", i, value)
			}
		}
		want := []string{"unix:path:/usr/local/bin/" + name, "systemd:id:" + name + ".service"}
		if !reflect.DeepEqual(selectors, want) {
			t.Errorf("workloads[%d] (%s) selectors: want %v, got %v", i, name, want, selectors)
		}
	}
	if want := []string{"metald", "billaged", "builderd", "assetmanagerd"}; !reflect.DeepEqual(names, want) {
		t.Errorf("workload names: want %v, got %v", want, names)
	}
}

// Unkey's chain: the GitHub role may assume the executors of two other accounts, and this account's
// executor trusts the management account's CI role.
func TestDeployRoleChainsIntoExecutorRoles(t *testing.T) {
	inputs := run(t, nil, Program).component(t).Inputs
	roles, _ := inputs["githubOidc"].(map[string]interface{})["roles"].([]interface{})
	if len(roles) != 1 {
		t.Fatalf("githubOidc.roles: want 1 role, got %s", asJSON(roles))
	}
	deploy := roles[0].(map[string]interface{})
	if deploy["name"] != "deploy" || deploy["repository"] != "unkeyed/unkey" {
		t.Errorf("deploy role: want name deploy for unkeyed/unkey, got %s", asJSON(deploy))
	}
	if want := []interface{}{"main"}; !reflect.DeepEqual(deploy["branches"], want) {
		t.Errorf("deploy role branches: want %v, got %v", want, deploy["branches"])
	}
	for _, key := range []string{"environments", "pullRequests", "subjects", "allowWildcardSubjects"} {
		if v, ok := deploy[key]; ok {
			t.Errorf("deploy role: %s widens who may assume it, got %v", key, v)
		}
	}
	wantAssumable := []interface{}{
		"arn:aws:iam::222222222222:role/UnkeyPulumiAWSExecutor",
		"arn:aws:iam::333333333333:role/UnkeyPulumiAWSExecutor",
	}
	if !reflect.DeepEqual(deploy["assumableRoleArns"], wantAssumable) {
		t.Errorf("deploy role assumableRoleArns: want %v, got %v", wantAssumable, deploy["assumableRoleArns"])
	}

	executors, _ := inputs["executorRoles"].([]interface{})
	if len(executors) != 1 {
		t.Fatalf("executorRoles: want 1, got %s", asJSON(executors))
	}
	executor := executors[0].(map[string]interface{})
	if name, set := executor["roleName"]; set {
		t.Errorf("executor roleName: an ephemeral stage must take the stage-scoped default (stages share the account), got %v", name)
	}
	if want := []interface{}{"arn:aws:iam::111111111111:role/GitHubActionsOIDCRole"}; !reflect.DeepEqual(executor["trustedPrincipalArns"], want) {
		t.Errorf("executor trustedPrincipalArns: want %v, got %v", want, executor["trustedPrincipalArns"])
	}
}

func TestStackConfigReachesTheArguments(t *testing.T) {
	inputs := run(t, map[string]string{
		"stage":                 "canary",
		"profile":               "production",
		"vpcId":                 "vpc-0aaaaaaaaaaaaaaaa",
		"subnetIds":             `["subnet-0a","subnet-0b","subnet-0c"]`,
		"allowedCidrBlocks":     `["10.1.0.0/16"]`,
		"managementCiRoleArn":   "arn:aws:iam::444444444444:role/GitHubActionsOIDCRole",
		"githubOidcProviderArn": "arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com",
	}, Program).component(t).Inputs

	if inputs["stage"] != "canary" || inputs["profile"] != "production" {
		t.Errorf("stage/profile: want canary/production, got %v/%v", inputs["stage"], inputs["profile"])
	}
	wantSpire := map[string]interface{}{
		"vpcId":             "vpc-0aaaaaaaaaaaaaaaa",
		"subnetIds":         []interface{}{"subnet-0a", "subnet-0b", "subnet-0c"},
		"allowedCidrBlocks": []interface{}{"10.1.0.0/16"},
		// Production runs several servers, which need the shared datastore.
		"datastore": map[string]interface{}{"create": true},
	}
	if !reflect.DeepEqual(inputs["spire"], wantSpire) {
		t.Errorf("spire: want %s, got %s", asJSON(wantSpire), asJSON(inputs["spire"]))
	}
	executor := inputs["executorRoles"].([]interface{})[0].(map[string]interface{})
	if executor["roleName"] != "UnkeyPulumiAWSExecutor" {
		t.Errorf("executor roleName in production: want UnkeyPulumiAWSExecutor (other accounts name it), got %v", executor["roleName"])
	}
	if want := []interface{}{"arn:aws:iam::444444444444:role/GitHubActionsOIDCRole"}; !reflect.DeepEqual(executor["trustedPrincipalArns"], want) {
		t.Errorf("executor trustedPrincipalArns: want %v, got %v", want, executor["trustedPrincipalArns"])
	}
	if got := inputs["githubOidc"].(map[string]interface{})["providerArn"]; got != "arn:aws:iam::555555555555:oidc-provider/token.actions.githubusercontent.com" {
		t.Errorf("githubOidc.providerArn: got %v", got)
	}
}

func TestExportsAreTheComponentsOutputs(t *testing.T) {
	got := map[string]interface{}{}
	run(t, nil, func(ctx *pulumi.Context) error {
		outputs, err := Deploy(ctx)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(outputs))
		all := make([]interface{}, 0, len(outputs))
		for name, output := range outputs {
			names = append(names, name)
			all = append(all, output)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		pulumi.All(all...).ApplyT(func(values []interface{}) error {
			defer wg.Done()
			for i, v := range values {
				switch x := v.(type) {
				case *string:
					if x != nil {
						got[names[i]] = *x
					} else {
						got[names[i]] = nil
					}
				case map[string]string:
					m := map[string]interface{}{}
					for k, s := range x {
						m[k] = s
					}
					got[names[i]] = m
				default:
					got[names[i]] = x
				}
			}
			return nil
		})
		wg.Wait()
		return nil
	})

	var names []string
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	wantNames := []string{
		"crlUrl", "githubOidcProviderArn", "registrationEntries", "roleArns", "rootCaCertificatePem",
		"serverConfigParameterName", "spireServerAddress", "trustBundleUrl", "trustDomain",
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("exports: want %v, got %v", wantNames, names)
	}
	for _, name := range names {
		if !reflect.DeepEqual(got[name], mockState[name]) {
			t.Errorf("export %s: want the component's output %v, got %v", name, mockState[name], got[name])
		}
	}
}
