/**
 * The SSM document's agent install commands, rendered by agentInstallCommands and run as rendered
 * under `sh` (dash, what SSM's aws:runShellScript uses on Ubuntu and Debian) and bash, against a
 * local HTTP server standing in for the SPIRE release download. The commands write under a
 * temporary root (the renderer's `root`), and a fake `systemctl` records what it was asked. PATH
 * holds only the tools the commands may use (so curl and wget are each tried alone, and Docker is
 * absent as on Amazon Linux 2023 and Ubuntu AMIs).
 */
import { execFile, spawnSync } from "child_process";
import { createHash } from "crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { createServer, Server } from "http";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentInstallCommands } from "../../../provider/src/zeroTrustIdentity/agents";

const TOOLS = ["base64", "chmod", "install", "mktemp", "rm", "tar", "gzip", "sha256sum", "cat", "dirname"];
const base = mkdtempSync(join(tmpdir(), "rampart-agent-install-"));
let server: Server;
let url = "";
let sha256 = "";

function toolDir(name: string, extra: string[]): string {
    const dir = join(base, `path-${name}`);
    mkdirSync(dir, { recursive: true });
    for (const tool of [...TOOLS, ...extra]) {
        const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
        if (!found) throw new Error(`${tool} is not installed on this machine`);
        symlinkSync(found, join(dir, tool));
    }
    // systemctl records its arguments (no systemd in a test).
    writeFileSync(join(dir, "systemctl"), `#!/bin/sh\necho "$*" >> "$SYSTEMCTL_LOG"\n`);
    chmodSync(join(dir, "systemctl"), 0o755);
    return dir;
}

beforeAll(async () => {
    // A release tarball shaped like SPIRE's: spire-<version>/bin/spire-agent.
    const release = join(base, "release");
    mkdirSync(join(release, "spire-1.13.3", "bin"), { recursive: true });
    writeFileSync(join(release, "spire-1.13.3", "bin", "spire-agent"), "#!/bin/sh\necho 'spire-agent 1.13.3 (fake)'\n");
    chmodSync(join(release, "spire-1.13.3", "bin", "spire-agent"), 0o755);
    const tar = spawnSync("tar", ["-czf", join(base, "spire.tar.gz"), "-C", release, "spire-1.13.3"]);
    expect(tar.status).toBe(0);
    const tarball = readFileSync(join(base, "spire.tar.gz"));
    sha256 = createHash("sha256").update(tarball).digest("hex");
    server = createServer((req, res) => {
        if (req.url === "/spire-1.13.3-linux-amd64-musl.tar.gz") res.writeHead(200, { "content-type": "application/gzip" }).end(tarball);
        else res.writeHead(404).end("not found");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/spire-1.13.3-linux-amd64-musl.tar.gz`;
});

afterAll(() => {
    server?.close();
    rmSync(base, { recursive: true, force: true });
});

let runs = 0;
/** Runs the rendered commands (asynchronously: the fake download server lives in this process). */
async function install(shell: "sh" | "bash", downloader: "curl" | "wget" | "none", agents: Parameters<typeof agentInstallCommands>[0]["agents"]) {
    const root = join(base, `root-${++runs}`);
    mkdirSync(root);
    const log = join(base, `systemctl-${runs}.log`);
    const commands = agentInstallCommands({ agentConfig: 'agent {\n  trust_domain = "example.org"\n}\n', bootstrapBundlePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", agents, dockerAttestor: false, root });
    const path = toolDir(`${runs}`, downloader === "none" ? [] : [downloader]);
    const result = await new Promise<{ status: number; stdout: string; stderr: string }>((done) =>
        execFile(`/bin/${shell}`, ["-c", commands.join("\n")], { encoding: "utf8", env: { PATH: path, SYSTEMCTL_LOG: log }, timeout: 60_000 }, (error, stdout, stderr) =>
            done({ status: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
        ),
    );
    return {
        status: result.status,
        output: `${result.stdout}${result.stderr}`,
        root,
        systemctl: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [],
    };
}

describe("agent install from a pinned SPIRE release (no Docker)", () => {
    for (const shell of ["sh", "bash"] as const) {
        for (const downloader of ["curl", "wget"] as const) {
            it(`under ${shell} with ${downloader}: verifies the checksum, installs the binary and the systemd unit, starts it`, async () => {
                const r = await install(shell, downloader, { targetTag: { key: "spire-agent", value: "enabled" }, release: { url, sha256: sha256.toUpperCase() } });
                expect(r.status, r.output).toBe(0);
                const binary = join(r.root, "opt/spire/bin/spire-agent");
                expect(statSync(binary).mode & 0o777).toBe(0o755);
                expect(spawnSync(binary, [], { encoding: "utf8" }).stdout).toContain("spire-agent 1.13.3 (fake)");
                expect(readFileSync(join(r.root, "etc/spire/agent/agent.conf"), "utf8")).toContain('trust_domain = "example.org"');
                expect(readFileSync(join(r.root, "etc/spire/agent/bootstrap-bundle.pem"), "utf8")).toContain("BEGIN CERTIFICATE");
                const unit = readFileSync(join(r.root, "etc/systemd/system/spire-agent.service"), "utf8");
                expect(unit).toContain("ExecStart=/opt/spire/bin/spire-agent run -config /etc/spire/agent/agent.conf");
                expect(r.systemctl).toEqual(["daemon-reload", "enable spire-agent", "restart spire-agent"]);
            });
        }

        it(`under ${shell}: a tarball with another checksum installs nothing and says why`, async () => {
            const wrong = "0".repeat(64);
            const r = await install(shell, "curl", { targetTag: { key: "k", value: "v" }, release: { url, sha256: wrong } });
            expect(r.status).toBe(1);
            expect(r.output).toContain(`rampart: ${url} does not have the SHA-256 ${wrong}; nothing installed`);
            expect(existsSync(join(r.root, "opt/spire/bin/spire-agent"))).toBe(false);
            expect(r.systemctl).toEqual([]);
        });

        it(`under ${shell}: without curl or wget, or without Docker for the image, fails with one clear line`, async () => {
            const noDownloader = await install(shell, "none", { targetTag: { key: "k", value: "v" }, release: { url, sha256 } });
            expect(noDownloader.status).toBe(1);
            expect(noDownloader.output).toContain("rampart: neither curl nor wget is installed");
            const noDocker = await install(shell, "none", { targetTag: { key: "k", value: "v" } });
            expect(noDocker.status).toBe(1);
            expect(noDocker.output).toContain("rampart: docker is not installed; set agents.release");
        });
    }

    it("renders POSIX sh only (the old `set -euo pipefail` first line fails under dash)", () => {
        const lines = agentInstallCommands({ agentConfig: "x", bootstrapBundlePem: "y", agents: { targetTag: { key: "k", value: "v" }, release: { url, sha256 } }, dockerAttestor: false });
        expect(lines[0]).toBe("set -eu");
        expect(lines.join("\n")).not.toMatch(/pipefail|\[\[|<<<|\bsource\b/);
        expect(spawnSync("/bin/dash", ["-c", "set -euo pipefail"]).status).not.toBe(0);
    });
});
