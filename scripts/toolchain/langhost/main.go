// Command langhost is a minimal Pulumi language host for nodejs, python and go,
// built by scripts/toolchain.sh.
//
// Why it exists: the upstream language hosts
// (github.com/pulumi/pulumi/sdk/{nodejs/cmd/pulumi-language-nodejs,
// python/cmd/pulumi-language-python, go/pulumi-language-go}/v3) are separate,
// untagged Go modules that the Go module proxy reachable from this project's
// machines does not serve at any version, so they cannot be built here. The
// CLI (pkg/v3) and the libraries they are made of (sdk/v3, pkg/v3/codegen)
// are served, so this small host is written against those libraries.
//
// One binary serves all three runtimes: the runtime is taken from the name it
// is invoked as (pulumi-language-<runtime>) or from -runtime. It implements
// what this project needs offline, following the upstream hosts:
//
//   - Run: nodejs (node + @pulumi/pulumi/cmd/run, TypeScript via ts-node as
//     upstream), python (pulumi-language-python-exec through the sdk's python
//     toolchain: virtualenv/pip/uv/poetry options), go (go build, then run).
//     Exit code 32 from the nodejs run script or the python exec script is a
//     bail: they already printed the error. A program whose Run request ends
//     before it exits (the update failed or was cancelled) is stopped with
//     SIGTERM in its own process group, then SIGKILL; upstream sends SIGINT,
//     which makes Python print a KeyboardInterrupt traceback over the real
//     error (see stopProgram).
//   - RunPlugin: source-based plugins (PulumiPlugin.yaml), notably nodejs
//     component providers (@pulumi/pulumi/cmd/run-plugin).
//   - InstallDependencies: npm/yarn/pnpm install (a plugin whose dependencies
//     are all installed is left alone), python venv + requirements, go mod tidy.
//   - GeneratePackage: `pulumi package gen-sdk` and the SDK step of
//     `pulumi package add`, through pkg/v3/codegen.
//   - Link (link.go): the last step of `pulumi package add`, wiring the
//     generated SDK into the project: package.json "file:" dependency,
//     requirements.txt path (or uv/poetry add), go.mod replace directive.
//
// GetRequiredPlugins/GetRequiredPackages report nothing. In CLI v3.276.0
// `pulumi package add <path>` asks them only about the plugin being added
// (this repository) and downloads every package they name that is not in
// $PULUMI_HOME/plugins, whatever PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION
// says, so naming aws/tls/random would make it fail where GitHub cannot be
// reached; `packages:` in Pulumi.yaml reaches the engine through the project
// (plugin.NewContext), not through them. The engine then loads providers on
// first use, from PATH, $PULUMI_HOME/plugins, or Pulumi.yaml plugins/packages.
//
// Not implemented (the engine gets Unimplemented): Pack (pulumi package
// pack-sdk), GenerateProgram/GenerateProject (pulumi convert, pulumi new from
// templates), Template, debugger attach, policy packs, the nodejs synchronous
// invoke pipes and monitor proxy.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	gocodegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodecodegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pycodegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// Exit code the nodejs run script and pulumi-language-python-exec use after
// they printed an actionable message (for example the error a failed
// Construct returned): the engine should bail without adding another error.
const bailExitCode = 32

func main() {
	defaultRuntime := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-")
	runtime := flag.String("runtime", defaultRuntime, "language runtime to serve: nodejs, python or go")
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	// Accepted for compatibility with the flags the engine may pass.
	flag.String("tracing", "", "ignored")
	flag.String("root", "", "ignored")
	flag.Bool("binary", false, "ignored")
	flag.Parse()

	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	switch *runtime {
	case "nodejs", "python", "go":
	default:
		cmdutil.Exit(fmt.Errorf("unsupported runtime %q (invoke as pulumi-language-{nodejs,python,go})", *runtime))
	}
	logging.InitLogging(false, 0, false)

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		cancel()
		close(cancelChannel)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check: %w", err))
		}
	}

	hostCtx, hostCancel := context.WithCancel(context.Background())
	host := &languageHost{
		runtime:       *runtime,
		engineAddress: engineAddress,
		cancelCtx:     hostCtx,
		cancel:        hostCancel,
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	runtime string

	mu            sync.Mutex
	engineAddress string

	cancelCtx context.Context
	cancel    context.CancelFunc
}

func (h *languageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *languageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.EngineAddress
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// GetRequiredPlugins and GetRequiredPackages report no plugins: providers are
// then loaded on first use, from PATH, $PULUMI_HOME/plugins or Pulumi.yaml.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	exe := map[string]string{"nodejs": "node", "python": "python3", "go": "go"}[h.runtime]
	path, err := exec.LookPath(exe)
	if err != nil {
		return &pulumirpc.AboutResponse{}, nil //nolint:nilerr // about is best effort
	}
	versionArg := "--version"
	if h.runtime == "go" {
		versionArg = "version"
	}
	out, _ := exec.CommandContext(ctx, path, versionArg).Output()
	return &pulumirpc.AboutResponse{
		Executable: path,
		Version:    strings.TrimSpace(string(out)),
		Metadata:   map[string]string{"host": "rampart toolchain langhost"},
	}, nil
}

// ---- Run ----------------------------------------------------------------

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return nil, status.Error(codes.Unimplemented, "debugger attach is not supported by this language host")
	}
	// Stop the program on Cancel or when the request ends.
	cmdCtx, cmdCancel := context.WithCancel(h.cancelCtx)
	defer cmdCancel()
	context.AfterFunc(ctx, cmdCancel)

	switch h.runtime {
	case "nodejs":
		return h.runNode(cmdCtx, req)
	case "python":
		return h.runPython(cmdCtx, req)
	default:
		return h.runGo(cmdCtx, req)
	}
}

func (h *languageHost) runNode(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	opts, err := parseNodeOptions(req.Info.Options.AsMap())
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	runPath, err = resolveNodeModule(ctx, node, req.Info.ProgramDirectory, runPath)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// The nodejs SDK reads config keys in the old "<ns>:config:<name>" form.
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	env, err := configEnv(cfg, req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	env = append(os.Environ(), env...)
	env = append(env, opts.env()...)

	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return nil, err
	}
	args = append(args, runPath)
	args = appendFlag(args, "--monitor", req.GetMonitorAddress())
	args = appendFlag(args, "--engine", h.engine())
	args = appendFlag(args, "--organization", req.GetOrganization())
	args = appendFlag(args, "--project", req.GetProject())
	args = appendFlag(args, "--root-directory", req.GetInfo().GetRootDirectory())
	args = appendFlag(args, "--stack", req.GetStack())
	args = appendFlag(args, "--pwd", req.Info.ProgramDirectory)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = appendFlag(args, "--parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, req.Info.EntryPoint)
	args = append(args, req.GetArgs()...)

	cmd := exec.Command(node, args...)
	cmd.Env = env
	return runProgram(ctx, cmd, map[int]bool{bailExitCode: true}), nil
}

func (h *languageHost) runPython(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	tc, err := pythonToolchain(req.Info, false)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	execScript, err := pythonExec()
	if err != nil {
		return nil, err
	}
	args := []string{execScript}
	args = appendFlag(args, "--monitor", req.GetMonitorAddress())
	args = appendFlag(args, "--engine", h.engine())
	args = appendFlag(args, "--project", req.GetProject())
	args = appendFlag(args, "--root_directory", req.GetInfo().GetRootDirectory())
	args = appendFlag(args, "--stack", req.GetStack())
	args = appendFlag(args, "--pwd", req.GetPwd())
	args = appendFlag(args, "--dry_run", strconv.FormatBool(req.GetDryRun()))
	args = appendFlag(args, "--parallel", strconv.Itoa(int(req.GetParallel())))
	args = appendFlag(args, "--organization", req.GetOrganization())
	args = append(args, req.Info.EntryPoint)
	args = append(args, req.GetArgs()...)

	// runProgram stops the program when ctx ends; the command itself must not.
	cmd, err := tc.Command(context.WithoutCancel(ctx), args...)
	if err != nil {
		return nil, err
	}
	env, err := configEnv(req.GetConfig(), req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, env...)
	return runProgram(ctx, cmd, map[int]bool{bailExitCode: true}), nil
}

func (h *languageHost) runGo(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	options := req.Info.Options.AsMap()
	env, err := configEnv(req.GetConfig(), req.GetConfigSecretKeys())
	if err != nil {
		return nil, err
	}
	env = append(os.Environ(), env...)
	for k, v := range map[string]string{
		"PULUMI_ORGANIZATION":   req.GetOrganization(),
		"PULUMI_PROJECT":        req.GetProject(),
		"PULUMI_ROOT_DIRECTORY": req.GetInfo().GetRootDirectory(),
		"PULUMI_STACK":          req.GetStack(),
		"PULUMI_DRY_RUN":        strconv.FormatBool(req.GetDryRun()),
		"PULUMI_PARALLEL":       strconv.Itoa(int(req.GetParallel())),
		"PULUMI_MONITOR":        req.GetMonitorAddress(),
		"PULUMI_ENGINE":         h.engine(),
	} {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}

	program, _ := options["binary"].(string)
	if program != "" {
		if !filepath.IsAbs(program) {
			program = filepath.Join(req.Info.ProgramDirectory, program)
		}
	} else {
		target, _ := options["buildTarget"].(string)
		program, err = buildGo(ctx, req.Info.ProgramDirectory, target, os.Stderr)
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		if target == "" {
			defer os.Remove(program)
		}
	}
	cmd := exec.Command(program, req.GetArgs()...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	return runProgram(ctx, cmd, nil), nil
}

// runProgram runs a program with the host's stdout/stderr (the engine shows
// them) and turns its exit status into a RunResponse. When ctx ends first (the
// engine cancelled the update or stopped listening after a failure), the
// program is stopped with stopProgram.
//
// The program gets a process group of its own: when the engine shuts the
// language host down it interrupts the host's whole process group, and a
// SIGINT that reaches a Python program mid-flight prints a KeyboardInterrupt
// traceback that hides the real error.
func runProgram(ctx context.Context, cmd *exec.Cmd, bailCodes map[int]bool) *pulumirpc.RunResponse {
	cmd.Stdout = struct{ io.Writer }{os.Stdout} // node may change the fd's blocking mode
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	var err error
	if err = cmd.Start(); err == nil {
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err = <-exited:
		case <-ctx.Done():
			err = stopProgram(cmd.Process.Pid, exited)
		}
	}
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code := exitErr.ExitCode()
		if bailCodes[code] {
			return &pulumirpc.RunResponse{Bail: true}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run %s: %v", cmd.Path, err)}
}

// How long a program gets to exit after SIGTERM before its process group is
// killed; well inside the 5 s the engine waits for a language host it stops.
const programTermGrace = 2 * time.Second

// stopProgram ends a program whose Run request is over: the engine cancelled
// the update, or a resource failed and the engine has already reported why
// and shut its resource monitor down. Whatever the program would print from
// now on is a consequence, not news. SIGTERM stops Node, Python and Go
// programs without a stack trace (SIGINT, which upstream hosts send, makes
// Python print a KeyboardInterrupt traceback from wherever it was); a program
// that traps it is killed with its whole process group after programTermGrace.
func stopProgram(pgid int, exited <-chan error) error {
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case err := <-exited:
		return err
	case <-time.After(programTermGrace):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	return <-exited
}

// ---- RunPlugin ----------------------------------------------------------

func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	if req.GetAttachDebugger() {
		return status.Error(codes.Unimplemented, "debugger attach is not supported by this language host")
	}
	if req.Kind == "analyzer" {
		return status.Error(codes.Unimplemented, "policy packs are not supported by this language host")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	var cmd *exec.Cmd
	switch h.runtime {
	case "nodejs":
		opts, err := parseNodeOptions(req.Info.Options.AsMap())
		if err != nil {
			return err
		}
		node, err := exec.LookPath("node")
		if err != nil {
			return fmt.Errorf("could not find node on the $PATH: %w", err)
		}
		runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
		if runPath == "" {
			runPath = "@pulumi/pulumi/cmd/run-plugin"
		}
		runPath, err = resolveNodeModule(ctx, node, req.Info.ProgramDirectory, runPath)
		if err != nil {
			return err
		}
		args, err := shlex.Split(opts.nodeargs)
		if err != nil {
			return err
		}
		args = append(append([]string{runPath}, args...), req.Info.ProgramDirectory)
		cmd = exec.CommandContext(ctx, node, append(args, req.Args...)...)
		cmd.Env = append(append([]string{}, req.Env...), opts.env()...)
	case "python":
		tc, err := pythonToolchain(req.Info, true)
		if err != nil {
			return err
		}
		// python runs the plugin directory's __main__.py.
		cmd, err = tc.Command(ctx, append([]string{req.Info.ProgramDirectory}, req.Args...)...)
		if err != nil {
			return err
		}
		cmd.Env = mergeEnv(req.Env, cmd.Env)
	default:
		target, _ := req.Info.Options.AsMap()["buildTarget"].(string)
		program, err := buildGo(ctx, req.Info.ProgramDirectory, target, stderr)
		if err != nil {
			return err
		}
		if target == "" {
			defer os.Remove(program)
		}
		cmd = exec.CommandContext(ctx, program, req.Args...)
		cmd.Env = req.Env
	}
	cmd.Dir = req.Pwd
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				return fmt.Errorf("Program exited with non-zero exit code: %d", ws.ExitStatus())
			}
		}
		return fmt.Errorf("could not run plugin program: %w", err)
	}
	return closer.Close()
}

// ---- InstallDependencies ------------------------------------------------

func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
	if err != nil {
		return err
	}
	defer closer.Close()
	dir := req.Info.ProgramDirectory

	switch h.runtime {
	case "nodejs":
		opts, err := parseNodeOptions(req.Info.Options.AsMap())
		if err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
			break // nothing to install
		}
		// A source-based plugin (this repository, when the engine or
		// `pulumi package add` loads it) is often run from a checkout whose
		// node_modules is complete; reinstalling it would be slow and could
		// rewrite the checkout's lockfile. Programs always install, as
		// upstream does: Link has just added a dependency.
		if req.IsPlugin {
			if missing := missingNodeDependencies(dir); len(missing) == 0 {
				fmt.Fprintln(stdout, "Dependencies of the plugin are installed")
				break
			}
		}
		fmt.Fprintln(stdout, "Installing dependencies...")
		if _, err := npm.Install(ctx, opts.packagemanager, dir, opts.production, stdout, stderr); err != nil {
			return err
		}
	case "python":
		tc, err := pythonToolchain(req.Info, req.IsPlugin)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Installing dependencies...")
		if err := tc.InstallDependencies(ctx, dir, req.UseLanguageVersionTools, true, stdout, stderr); err != nil {
			return err
		}
	default:
		fmt.Fprintln(stdout, "Installing dependencies...")
		cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("`go mod tidy` failed: %w", err)
		}
	}
	return closer.Close()
}

// ---- GeneratePackage (pulumi package gen-sdk) ---------------------------

func (h *languageHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, err
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}

	tool := "pulumi-language-" + h.runtime
	var files map[string][]byte
	switch h.runtime {
	case "nodejs":
		files, err = nodecodegen.GeneratePackage(tool, pkg, req.ExtraFiles, req.LocalDependencies, req.Local, cached)
	case "python":
		files, err = pycodegen.GeneratePackage(tool, pkg, req.ExtraFiles, cached)
	default:
		if len(req.ExtraFiles) > 0 {
			return nil, errors.New("overlays are not supported for Go")
		}
		files, err = gocodegen.GeneratePackage(tool, pkg, req.LocalDependencies)
	}
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		out := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil { //nolint:gosec // generated sources
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}

// ---- helpers ------------------------------------------------------------

type nodeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	production     bool
	packagemanager npm.PackageManagerType
}

func parseNodeOptions(options map[string]any) (nodeOptions, error) {
	opts := nodeOptions{typescript: true, packagemanager: npm.AutoPackageManager}
	var ok bool
	if v, has := options["typescript"]; has {
		if opts.typescript, ok = v.(bool); !ok {
			return opts, errors.New("typescript option must be a boolean")
		}
	}
	if v, has := options["tsconfig"]; has {
		if opts.tsconfig, ok = v.(string); !ok {
			return opts, errors.New("tsconfig option must be a string")
		}
	}
	if v, has := options["nodeargs"]; has {
		if opts.nodeargs, ok = v.(string); !ok {
			return opts, errors.New("nodeargs option must be a string")
		}
	}
	if v, has := options["production"]; has {
		if opts.production, ok = v.(bool); !ok {
			return opts, errors.New("production option must be a boolean")
		}
	}
	if v, has := options["packagemanager"]; has {
		pm, _ := v.(string)
		switch pm {
		case "auto":
		case "npm":
			opts.packagemanager = npm.NpmPackageManager
		case "yarn":
			opts.packagemanager = npm.YarnPackageManager
		case "pnpm":
			opts.packagemanager = npm.PnpmPackageManager
		default:
			return opts, fmt.Errorf("unsupported packagemanager option %q", v)
		}
	}
	return opts, nil
}

func (o nodeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// missingNodeDependencies lists the dependencies package.json in dir declares
// that no node_modules folder in dir or its parents holds (where node looks).
func missingNodeDependencies(dir string) []string {
	manifest, _, err := npm.ReadPackageManifest(dir)
	if err != nil {
		return []string{"(unreadable package manifest: " + err.Error() + ")"}
	}
	deps, _ := manifest["dependencies"].(map[string]any)
	var missing []string
	for name := range deps {
		if !nodeModuleInstalled(dir, name) {
			missing = append(missing, name)
		}
	}
	return missing
}

func nodeModuleInstalled(dir, name string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", name, "package.json")); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// resolveNodeModule finds a module's file the way node does from dir.
func resolveNodeModule(ctx context.Context, node, dir, module string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)) } catch (e) { `+
		`console.error(e.code === "MODULE_NOT_FOUND" ? "It looks like the Pulumi SDK has not been installed `+
		`(cannot resolve %s from %s). Have you run npm install?" : e.message); process.exit(1) }`,
		module, module, dir)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func pythonToolchain(info *pulumirpc.ProgramInfo, isPlugin bool) (toolchain.Toolchain, error) {
	opts, err := pythonOptions(info, isPlugin)
	if err != nil {
		return nil, err
	}
	return toolchain.ResolveToolchain(opts)
}

func pythonOptions(info *pulumirpc.ProgramInfo, isPlugin bool) (toolchain.PythonOptions, error) {
	opts := toolchain.PythonOptions{Root: info.RootDirectory, ProgramDir: info.ProgramDirectory}
	options := info.Options.AsMap()
	if v, ok := options["virtualenv"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("virtualenv option must be a string")
		}
		opts.Virtualenv = s
	}
	if v, ok := options["toolchain"]; ok {
		switch v {
		case "pip":
			opts.Toolchain = toolchain.Pip
		case "poetry":
			opts.Toolchain = toolchain.Poetry
		case "uv":
			opts.Toolchain = toolchain.Uv
		default:
			return opts, fmt.Errorf("unsupported toolchain option %v", v)
		}
	}
	if _, ok := options["typechecker"]; ok {
		logging.V(3).Infof("typechecker option ignored by this language host")
	}
	if isPlugin && opts.Virtualenv == "" && (opts.Toolchain == toolchain.Pip || opts.Toolchain == toolchain.Auto) {
		opts.Virtualenv = "venv"
	}
	return opts, nil
}

// pythonExec finds pulumi-language-python-exec beside this binary, or on PATH.
func pythonExec() (string, error) {
	const name = "pulumi-language-python-exec"
	if self, err := os.Executable(); err == nil {
		candidate := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found beside the language host or on PATH: %w", name, err)
	}
	return path, nil
}

// buildGo compiles the Go program in dir, into target when given.
func buildGo(ctx context.Context, dir, target string, stderr io.Writer) (string, error) {
	if target == "" {
		f, err := os.CreateTemp("", "pulumi-go.*")
		if err != nil {
			return "", err
		}
		target = f.Name()
		_ = f.Close()
	} else if !filepath.IsAbs(target) {
		target = filepath.Join(dir, target)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-trimpath", "-ldflags", "-w -s", "-o", target)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("unable to run `go build` in %s: %w", dir, err)
	}
	return target, nil
}

func configEnv(cfg map[string]string, secretKeys []string) ([]string, error) {
	var env []string
	if cfg != nil {
		b, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG="+string(b))
	}
	if secretKeys != nil {
		b, err := json.Marshal(secretKeys)
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG_SECRET_KEYS="+string(b))
	}
	return env, nil
}

func appendFlag(args []string, name, value string) []string {
	if value == "" {
		return args
	}
	return append(args, name, value)
}

// mergeEnv overlays extra KEY=VALUE entries on base; later entries win.
func mergeEnv(base, extra []string) []string {
	return append(append([]string{}, base...), extra...)
}
