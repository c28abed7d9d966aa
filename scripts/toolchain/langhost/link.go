package main

// Link: the last step of `pulumi package add`. The CLI has generated the SDK
// (GeneratePackage) into <project>/sdks/<name> and asks the language host to
// make the project depend on it; afterwards the CLI calls InstallDependencies
// and records the package in Pulumi.yaml. Behaviour follows the upstream hosts
// (sdk/{nodejs/cmd/pulumi-language-nodejs,python/cmd/pulumi-language-python,
// go/pulumi-language-go}/main.go):
//
//   - nodejs: package.json dependency "<npm name>": "file:<sdk path>" (and the
//     allowScripts entry npm needs to run the SDK's postinstall) through the
//     project's package manager.
//   - python: the SDK path in requirements.txt (pip), or `uv add` / `poetry add`
//     of the path for those toolchains.
//   - go: a `replace <module> => ./<sdk path>` directive in go.mod.

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"golang.org/x/mod/modfile"

	"github.com/pulumi/pulumi/pkg/v3/codegen/cgstrings"
	gocodegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodecodegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pycodegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

func (h *languageHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	logging.V(5).Infof("Linking %v into %s", req.GetPackages(), req.GetInfo().GetProgramDirectory())
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var instructions string
	switch h.runtime {
	case "nodejs":
		instructions, err = linkNode(ctx, req, cached)
	case "python":
		instructions, err = linkPython(ctx, req, cached)
	default:
		instructions, err = linkGo(ctx, req, cached)
	}
	if err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions}, nil
}

// loadLinkedPackage binds the schema of a package being linked (the CLI's
// loader already holds it) with the given language's options imported.
func loadLinkedPackage(
	ctx context.Context, loader schema.Loader, dep *pulumirpc.PackageDependency, language string, importer schema.Language,
) (*schema.Package, error) {
	descriptor := &schema.PackageDescriptor{Name: dep.Name, DownloadURL: dep.Server}
	if v, err := semver.ParseTolerant(dep.Version); err == nil {
		descriptor.Version = &v
	}
	if p := dep.Parameterization; p != nil {
		descriptor.Parameterization = &schema.ParameterizationDescriptor{Name: p.Name, Value: p.Value}
		if v, err := semver.ParseTolerant(p.Version); err == nil {
			descriptor.Parameterization.Version = v
		}
	}
	ref, err := schema.LoadPackageReferenceV2(ctx, loader, descriptor)
	if err != nil {
		return nil, fmt.Errorf("loading the schema of %s: %w", dep.Name, err)
	}
	pkg, err := ref.Definition()
	if err != nil {
		return nil, fmt.Errorf("binding the schema of %s: %w", dep.Name, err)
	}
	if err := pkg.ImportLanguages(map[string]schema.Language{language: importer}); err != nil {
		return nil, err
	}
	return pkg, nil
}

func linkNode(ctx context.Context, req *pulumirpc.LinkRequest, loader schema.Loader) (string, error) {
	dir := req.Info.ProgramDirectory
	opts, err := parseNodeOptions(req.Info.Options.AsMap())
	if err != nil {
		return "", err
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, dir)
	if err != nil {
		return "", err
	}

	isTypeScript := opts.typescript || opts.tsconfig != ""
	if !isTypeScript {
		if _, err := fsutil.Searchup(dir, "tsconfig.json"); err == nil {
			isTypeScript = true
		}
	}
	usesModuleSyntax := isTypeScript || packageTypeIsModule(dir)

	var imports strings.Builder
	for _, dep := range req.Packages {
		pkg, err := loadLinkedPackage(ctx, loader, dep.Package, "nodejs", nodecodegen.Importer)
		if err != nil {
			return "", err
		}
		packageName := nodePackageName(pkg)
		if err := pm.Link(ctx, dir, packageName, dep.Path); err != nil {
			return "", err
		}
		importName := cgstrings.Camel(pkg.Name)
		if usesModuleSyntax {
			fmt.Fprintf(&imports, "  import * as %s from %q;\n", importName, packageName)
		} else {
			fmt.Fprintf(&imports, "  const %s = require(%q);\n", importName, packageName)
		}
	}
	language := "JavaScript"
	if isTypeScript {
		language = "TypeScript"
	}
	return fmt.Sprintf("You can import the SDK in your %s code with:\n\n%s", language, imports.String()), nil
}

func packageTypeIsModule(dir string) bool {
	manifest, err := npm.SearchupPackageManifest(dir)
	if err != nil {
		return false
	}
	data, _, err := npm.ReadPackageManifest(filepath.Dir(manifest))
	if err != nil {
		return false
	}
	typ, _ := data["type"].(string)
	return typ == "module"
}

func nodePackageName(pkg *schema.Package) string {
	if info, ok := pkg.Language["nodejs"].(nodecodegen.NodePackageInfo); ok && info.PackageName != "" {
		return info.PackageName
	}
	if pkg.Namespace != "" {
		return "@" + pkg.Namespace + "/" + pkg.Name
	}
	return "@pulumi/" + pkg.Name
}

func linkPython(ctx context.Context, req *pulumirpc.LinkRequest, loader schema.Loader) (string, error) {
	dir := req.Info.ProgramDirectory
	opts, err := pythonOptions(req.Info, false)
	if err != nil {
		return "", err
	}

	// Python package (distribution) name -> path of the SDK to install.
	packages := map[string]string{}
	var imports strings.Builder
	for _, dep := range req.Packages {
		if dep.Package.Name == "pulumi" {
			packages["pulumi"] = dep.Path
			continue
		}
		pkg, err := loadLinkedPackage(ctx, loader, dep.Package, "python", pycodegen.Importer)
		if err != nil {
			return "", err
		}
		var packageName, importName string
		if info, ok := pkg.Language["python"].(pycodegen.PackageInfo); ok && info.PackageName != "" {
			packageName, importName = info.PackageName, info.PackageName
		}
		if importName == "" {
			importName = strings.ReplaceAll(pkg.Name, "-", "_")
		}
		if packageName == "" {
			packageName = pycodegen.PyPack(pkg.Namespace, pkg.Name)
		}
		packages[packageName] = dep.Path
		fmt.Fprintf(&imports, "  import %s as %s\n", packageName, importName)
	}

	if opts.Toolchain != toolchain.Pip && !exists(filepath.Join(dir, "pyproject.toml")) {
		if !exists(filepath.Join(dir, "requirements.txt")) {
			return "", fmt.Errorf("no pyproject.toml or requirements.txt found in %s", dir)
		}
		// A uv or poetry project that has not been installed yet still lists
		// its dependencies in requirements.txt (the toolchain converts them
		// on install), so the SDK goes there too.
		opts.Toolchain = toolchain.Pip
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return "", err
	}
	if err := tc.LinkPackages(ctx, packages); err != nil {
		return "", fmt.Errorf("linking packages: %w", err)
	}

	heading := "You can import the SDK in your Python code with:\n\n"
	if len(req.Packages) > 1 {
		heading = "You can import the SDKs in your Python code with:\n\n"
	}
	return heading + imports.String(), nil
}

func linkGo(ctx context.Context, req *pulumirpc.LinkRequest, loader schema.Loader) (string, error) {
	// Go module path -> replacement directory (relative to the project).
	replacements := map[string]string{}
	var imports strings.Builder
	for _, dep := range req.Packages {
		if dep.Package.Name == "pulumi" {
			replacements["github.com/pulumi/pulumi/sdk/v3"] = goLocalPath(dep.Path)
			continue
		}
		pkg, err := loadLinkedPackage(ctx, loader, dep.Package, "go", gocodegen.Importer)
		if err != nil {
			return "", err
		}
		modulePath, importPath := goModuleAndImportPath(pkg)
		replacements[modulePath] = goLocalPath(dep.Path)
		fmt.Fprintf(&imports, "    %q\n", importPath)
	}

	gomodPath := filepath.Join(req.Info.ProgramDirectory, "go.mod")
	stat, err := os.Stat(gomodPath)
	if err != nil {
		return "", err
	}
	content, err := os.ReadFile(gomodPath)
	if err != nil {
		return "", err
	}
	gomod, err := modfile.Parse(gomodPath, content, nil)
	if err != nil {
		return "", fmt.Errorf("parsing go.mod: %w", err)
	}
	for module, dir := range replacements {
		if err := gomod.AddReplace(module, "", dir, ""); err != nil {
			return "", fmt.Errorf("adding a replace directive for %s: %w", module, err)
		}
	}
	data, err := gomod.Format()
	if err != nil {
		return "", fmt.Errorf("formatting go.mod: %w", err)
	}
	if err := os.WriteFile(gomodPath, data, stat.Mode().Perm()); err != nil {
		return "", err
	}

	heading := "You can import the SDK in your Go code with:\n\n  import (\n"
	if len(req.Packages) > 1 {
		heading = "You can import the SDKs in your Go code with:\n\n  import (\n"
	}
	return heading + imports.String() + "  )\n", nil
}

// goModuleAndImportPath is the module the generated SDK declares in its go.mod
// and the import path of its root package.
func goModuleAndImportPath(pkg *schema.Package) (string, string) {
	if pkg.SupportPack {
		if module, importPath, err := gocodegen.ModuleAndImportPath(pkg); err == nil {
			return module, importPath
		}
	}
	module := gocodegen.ExtractModulePath(pkg.Reference())
	if info, ok := pkg.Language["go"].(gocodegen.GoPackageInfo); ok {
		switch {
		case info.ModulePath != "":
			module = info.ModulePath
		case info.ImportBasePath != "":
			module = path.Dir(info.ImportBasePath)
		}
	}
	return module, gocodegen.ExtractImportBasePath(pkg.Reference())
}

// goLocalPath makes a project-relative directory usable as the target of a
// replace directive, which must start with ./ to count as a local path.
func goLocalPath(dir string) string {
	if filepath.IsAbs(dir) || strings.HasPrefix(dir, "./") || strings.HasPrefix(dir, "../") {
		return dir
	}
	return "./" + filepath.ToSlash(dir)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
