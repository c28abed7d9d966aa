/**
 * A user's machine for the installation tests: a fresh temporary directory outside the repository,
 * a PATH holding only the tools a user installs themselves (Node.js 22, the Pulumi CLI and its
 * language hosts, Go, Python, and the offline stand-in for the aws/tls/random providers in place of
 * the real ones) plus the system directories, and the artifacts `npm run dist` wrote to dist/.
 * Nothing from the repository's node_modules/.bin, scripts or sources is on PATH.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(__dirname, "../..");
export const DIST = join(REPO_ROOT, "dist");
export const VERSION: string = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version;
const PULUMI_BIN = join(REPO_ROOT, ".tools", "pulumi", "bin");
const STANDIN_BIN = join(REPO_ROOT, "tests", ".work", "standin", "bin");
const NODE22 = join(REPO_ROOT, "node_modules", "node", "bin", "node");

export const artifacts = {
    npm: join(DIST, `rampart-iac-pulumi-rampart-${VERSION}.tgz`),
    wheel: join(DIST, `pulumi_rampart-${VERSION}-py3-none-any.whl`),
    sdist: join(DIST, `pulumi_rampart-${VERSION}.tar.gz`),
    goModule: join(DIST, "go", "sdk"),
    goArchive: join(DIST, `pulumi-rampart-sdk-go-v${VERSION}.tar.gz`),
    plugin: (platform = "linux-amd64") => join(DIST, `pulumi-resource-rampart-v${VERSION}-${platform}.tar.gz`),
};

/** Runs `npm run dist` unless dist/ already holds this version's artifacts (scripts/test.sh builds them first). */
export function ensureDist(): void {
    const wanted = [artifacts.npm, artifacts.wheel, artifacts.sdist, artifacts.goArchive, artifacts.plugin()];
    if (wanted.every(existsSync)) return;
    const result = spawnSync("bash", [join(REPO_ROOT, "scripts", "dist.sh")], { cwd: REPO_ROOT, encoding: "utf8", timeout: 600_000 });
    if (result.status !== 0) throw new Error(`npm run dist failed\n${result.stdout}\n${result.stderr}`);
}

export function toolsReady(): boolean {
    return existsSync(join(PULUMI_BIN, "pulumi")) && existsSync(join(STANDIN_BIN, "pulumi-resource-aws")) && existsSync(NODE22);
}

export interface Result {
    status: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

export class UserMachine {
    readonly root: string;
    readonly bin: string;
    readonly env: NodeJS.ProcessEnv;

    constructor(label: string) {
        this.root = mkdtempSync(join(tmpdir(), `rampart-install-${label}-`));
        this.bin = join(this.root, "bin");
        mkdirSync(this.bin);
        mkdirSync(join(this.root, "pulumi-home"));
        mkdirSync(join(this.root, "state"));
        symlinkSync(NODE22, join(this.bin, "node"));
        for (const dir of [PULUMI_BIN, STANDIN_BIN]) {
            for (const name of readdirSync(dir)) symlinkSync(join(dir, name), join(this.bin, name));
        }
        const goRoot = spawnSync("go", ["env", "GOROOT"], { encoding: "utf8", env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` } }).stdout?.trim();
        const path = [this.bin, goRoot ? join(goRoot, "bin") : "", "/usr/local/bin", "/usr/bin", "/bin"].filter(Boolean).join(":");
        const env: NodeJS.ProcessEnv = {};
        // Keep the user's basics (HOME, caches, proxies, certificates); drop everything the repository set.
        for (const key of ["HOME", "USER", "LANG", "TMPDIR", "GOPATH", "GOMODCACHE", "GOCACHE", "GOPROXY", "GONOSUMDB", "GOFLAGS",
            "PIP_CERT", "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL", "NPM_CONFIG_REGISTRY", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY",
            "https_proxy", "http_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "NPM_CONFIG_CAFILE", "npm_config_cafile", "REQUESTS_CA_BUNDLE"]) {
            if (process.env[key] !== undefined) env[key] = process.env[key];
        }
        this.env = {
            ...env,
            PATH: path,
            PULUMI_HOME: join(this.root, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${join(this.root, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "rampart-install-test",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PIP_DISABLE_PIP_VERSION_CHECK: "1",
            NO_COLOR: "1",
        };
    }

    dir(name: string): string {
        const dir = join(this.root, name);
        mkdirSync(dir, { recursive: true });
        return dir;
    }

    run(cmd: string, args: string[], cwd: string, options: { allowFailure?: boolean; env?: NodeJS.ProcessEnv; timeoutSeconds?: number } = {}): Result {
        const started = performance.now();
        const result = spawnSync(cmd, args, {
            cwd,
            env: { ...this.env, ...options.env },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            timeout: (options.timeoutSeconds ?? 300) * 1000,
        });
        const out = { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: (result.stderr ?? "") + (result.error ? String(result.error) : ""), seconds: (performance.now() - started) / 1000 };
        if (out.status !== 0 && !options.allowFailure) {
            throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${out.status}\n${out.stdout.slice(-6000)}\n${out.stderr.slice(-6000)}`);
        }
        return out;
    }

    dispose(): void {
        if (!process.env.RAMPART_KEEP_INSTALL_DIRS) rmSync(this.root, { recursive: true, force: true });
    }
}
