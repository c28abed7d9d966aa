/**
 * Runs the real Pulumi CLI (built from Go modules by scripts/toolchain.sh) against a local file
 * backend, with the offline stand-in for the aws, tls and random providers on PATH. Every stack
 * gets its own PULUMI_HOME and state folder under tests/.work/e2e.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { AccountStore, accountsFileFromEnv, seedOidcProvider } from "../standin/account";

export const REPO_ROOT = resolve(__dirname, "../..");
export const WORK_ROOT = join(REPO_ROOT, "tests", ".work", "e2e");
export const PULUMI_BIN = join(REPO_ROOT, ".tools", "pulumi", "bin");
export const STANDIN_BIN = join(REPO_ROOT, "tests", ".work", "standin", "bin");
export const NODE_BIN = join(REPO_ROOT, "node_modules", ".bin");
export const PASSPHRASE = "rampart-e2e-passphrase";

export interface CommandResult {
    status: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

export function toolchainReady(): boolean {
    return existsSync(join(PULUMI_BIN, "pulumi")) && existsSync(join(STANDIN_BIN, "pulumi-resource-aws"));
}

/** The README's one-time account setup, in a simulated account: the GitHub Actions OIDC provider. */
export function bootstrapAccount(accountsFile: string): void {
    seedOidcProvider(new AccountStore(accountsFile), { url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] });
}

/** An isolated Pulumi workspace: its own backend and home, the stand-in plugins, Node 22. */
export class PulumiWorkspace {
    readonly root: string;
    readonly env: NodeJS.ProcessEnv;
    /** A stack name unique to this workspace: its Pulumi.<stack>.yaml files are removed on dispose. */
    readonly stack: string;
    private readonly projectDirs = new Set<string>();

    /**
     * `account: "bootstrapped"` (the default) gives the stack's simulated AWS account what the README's
     * one-time account setup creates (the GitHub Actions OIDC provider every stage looks up);
     * `"fresh"` leaves it empty, as a brand-new AWS account is.
     */
    constructor(label: string, extraEnv: NodeJS.ProcessEnv = {}, options: { account?: "bootstrapped" | "fresh" } = {}) {
        mkdirSync(WORK_ROOT, { recursive: true });
        this.root = mkdtempSync(join(WORK_ROOT, `${label}-`));
        this.stack = `e2e-${basename(this.root).split("-").pop()!.toLowerCase()}`;
        const backend = join(this.root, "state");
        const home = join(this.root, "home");
        mkdirSync(backend, { recursive: true });
        mkdirSync(home, { recursive: true });
        this.env = {
            ...process.env,
            PATH: [STANDIN_BIN, PULUMI_BIN, NODE_BIN, process.env.PATH].join(":"),
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_HOME: home,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            NO_COLOR: "1",
            ...extraEnv,
        };
        const accountsFile = accountsFileFromEnv(this.env);
        if ((options.account ?? "bootstrapped") === "bootstrapped" && accountsFile) bootstrapAccount(accountsFile);
    }

    /** Runs pulumi with `--stack <this.stack>` except for `stack init` and commands given `stackless: true` (e.g. `package add`). */
    run(args: string[], cwd: string, options: { input?: string; allowFailure?: boolean; timeoutSeconds?: number; stackless?: boolean; env?: NodeJS.ProcessEnv } = {}): CommandResult {
        const started = performance.now();
        this.projectDirs.add(cwd);
        const stackFlag = options.stackless || (args[0] === "stack" && args[1] === "init") ? [] : ["--stack", this.stack];
        const result = spawnSync(join(PULUMI_BIN, "pulumi"), [...args, ...stackFlag, "--non-interactive"], {
            cwd,
            env: { ...this.env, ...options.env },
            input: options.input,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            timeout: (options.timeoutSeconds ?? 600) * 1000,
        });
        const out: CommandResult = {
            status: result.status ?? -1,
            stdout: result.stdout ?? "",
            stderr: result.stderr ?? "",
            seconds: (performance.now() - started) / 1000,
        };
        if (out.status !== 0 && !options.allowFailure) {
            throw new Error(`pulumi ${args.join(" ")} (in ${cwd}) exited ${out.status}\n${out.stdout.slice(-6000)}\n${out.stderr.slice(-6000)}`);
        }
        return out;
    }

    dispose(): void {
        for (const dir of this.projectDirs) rmSync(join(dir, `Pulumi.${this.stack}.yaml`), { force: true });
        rmSync(this.root, { recursive: true, force: true });
    }
}
