import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { SpireAgents } from "./args";
import { AGENT_PATHS, DEFAULT_AGENT_IMAGE } from "./settings";
import { checkedValue } from "./resolved";
import { checkImage } from "./validate";

/** The agents' arguments with the image resolved (the install commands are rendered from plain values). */
export type ResolvedSpireAgents = Omit<SpireAgents, "agentImage"> & { agentImage?: string };

export const SSM_DOCUMENT_NAME_RULE = { maxLength: 128, allowed: "_-." };

const systemdUnit = (binary: string, config: string) => `[Unit]
Description=SPIRE agent
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${binary} run -config ${config}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
/** `value` as one single-quoted sh word. */
const q = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export interface AgentInstall {
    agentConfig: string;
    /** PEM of the bootstrap trust bundle (the trust root), written to `trust_bundle_path`. */
    bootstrapBundlePem: string;
    agents: ResolvedSpireAgents;
    /** Mount the Docker socket for the docker workload attestor. */
    dockerAttestor: boolean;
    /**
     * Directory every absolute path the commands write is put under. Default: none (`/`). Only the
     * tests set it, to run the commands as they are rendered without touching the host.
     */
    root?: string;
}

/**
 * The shell lines that install and (re)start the agent on an instance. SSM's aws:runShellScript
 * runs them with `sh` (dash on Ubuntu and Debian), so they are POSIX sh: no `pipefail`, no bash
 * syntax. Files are written from base64 so no content is ever interpreted by the shell.
 *
 * - `release` (no Docker): downloads the SPIRE release tarball with curl or wget, refuses it
 *   unless its SHA-256 is the one given, installs `bin/spire-agent` at /opt/spire/bin/spire-agent
 *   and runs it under a systemd unit. Needs curl or wget, sha256sum, tar and systemd (Amazon Linux
 *   2023, Ubuntu and Debian have them).
 * - `installScript`: the script (run with bash) must leave the agent binary at
 *   /opt/spire/bin/spire-agent; the same systemd unit runs it.
 * - otherwise the agent image runs under Docker (which must already be installed) with the host's
 *   PID namespace and network (the unix attestor reads /proc of other users' processes:
 *   SYS_PTRACE), the D-Bus socket (systemd attestor) and, when used, the Docker socket (docker
 *   attestor).
 */
export function agentInstallCommands(input: AgentInstall): string[] {
    const root = input.root ?? "";
    const at = (path: string) => `${root}${path}`;
    const writeFile = (path: string, content: string, mode: string) => [`echo '${b64(content)}' | base64 -d > ${at(path)}`, `chmod ${mode} ${at(path)}`];
    const binaryDir = AGENT_PATHS.binary.slice(0, AGENT_PATHS.binary.lastIndexOf("/"));
    const socketDir = AGENT_PATHS.socketPath.slice(0, AGENT_PATHS.socketPath.lastIndexOf("/"));
    const lines = [
        "set -eu",
        `install -d -m 0755 ${at(AGENT_PATHS.configDir)} ${at(AGENT_PATHS.dataDir)} ${at(socketDir)}`,
        ...writeFile(AGENT_PATHS.config, input.agentConfig, "0644"),
        ...writeFile(AGENT_PATHS.bundle, input.bootstrapBundlePem, "0644"),
    ];
    const underSystemd = [
        `install -d -m 0755 ${at("/etc/systemd/system")}`,
        ...writeFile("/etc/systemd/system/spire-agent.service", systemdUnit(AGENT_PATHS.binary, AGENT_PATHS.config), "0644"),
        "systemctl daemon-reload",
        "systemctl enable spire-agent",
        "systemctl restart spire-agent",
    ];
    const release = input.agents.release;
    if (release) {
        const fail = (message: string) => `{ echo ${q(`rampart: ${message}`)} >&2; exit 1; }`;
        lines.push(
            'tmp=$(mktemp -d)',
            "trap 'rm -rf \"$tmp\"' EXIT",
            `if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 3 -o "$tmp/spire.tar.gz" ${q(release.url)}; ` +
                `elif command -v wget >/dev/null 2>&1; then wget -q -O "$tmp/spire.tar.gz" ${q(release.url)}; ` +
                `else ${fail("neither curl nor wget is installed")}; fi`,
            `printf '%s  %s\\n' ${q(release.sha256.toLowerCase())} "$tmp/spire.tar.gz" | sha256sum -c - >/dev/null 2>&1 || ${fail(`${release.url} does not have the SHA-256 ${release.sha256.toLowerCase()}; nothing installed`)}`,
            'tar -xzf "$tmp/spire.tar.gz" -C "$tmp"',
            'set -- "$tmp"/spire-*/bin/spire-agent',
            `[ -f "$1" ] || ${fail(`${release.url} holds no spire-<version>/bin/spire-agent`)}`,
            `install -d -m 0755 ${at(binaryDir)}`,
            `install -m 0755 "$1" ${at(AGENT_PATHS.binary)}`,
            ...underSystemd,
        );
        return lines;
    }
    if (input.agents.installScript) {
        lines.push(
            ...writeFile("/tmp/rampart-install-spire-agent.sh", input.agents.installScript, "0700"),
            `bash ${at("/tmp/rampart-install-spire-agent.sh")}`,
            `test -x ${at(AGENT_PATHS.binary)}`,
            ...underSystemd,
        );
        return lines;
    }
    const image = input.agents.agentImage ?? DEFAULT_AGENT_IMAGE;
    const volumes = [
        `${AGENT_PATHS.configDir}:${AGENT_PATHS.configDir}:ro`,
        `${AGENT_PATHS.dataDir}:${AGENT_PATHS.dataDir}`,
        `${socketDir}:${socketDir}`,
        "/run/dbus/system_bus_socket:/run/dbus/system_bus_socket",
        ...(input.dockerAttestor ? ["/var/run/docker.sock:/var/run/docker.sock"] : []),
    ];
    lines.push(
        `command -v docker >/dev/null 2>&1 || { echo 'rampart: docker is not installed; set agents.release (SPIRE release binaries under systemd) or agents.installScript' >&2; exit 1; }`,
        `docker pull ${image}`,
        "docker rm -f spire-agent >/dev/null 2>&1 || true",
        [
            "docker run -d --name spire-agent --restart unless-stopped --user 0 --pid host --network host --cap-add SYS_PTRACE",
            ...volumes.map((v) => `-v ${v}`),
            image,
            `-config ${AGENT_PATHS.config}`,
        ].join(" "),
    );
    return lines;
}

/** The SSM Command document (schema 2.2) that installs and configures the agent. */
export function agentDocument(input: AgentInstall): object {
    return {
        schemaVersion: "2.2",
        description: "Installs and configures the SPIRE agent (rampart ZeroTrustIdentity)",
        mainSteps: [
            {
                action: "aws:runShellScript",
                name: "installSpireAgent",
                precondition: { StringEquals: ["platformType", "Linux"] },
                inputs: { timeoutSeconds: "600", runCommand: agentInstallCommands(input) },
            },
        ],
    };
}

export interface AgentResources {
    documentName: pulumi.Output<string>;
}

/**
 * Agents installed the default way run `docker pull/run`, and Amazon Linux 2023 and Ubuntu/Debian AMIs have no Docker:
 * said at preview, naming the install that needs nothing but curl or wget and systemd.
 */
export const DOCKER_AGENT_INSTALL_WARNING = (component: string) =>
    `ZeroTrustIdentity "${component}": agents install with Docker (docker pull/run of the agent image), which Amazon Linux 2023 and ` +
    "Ubuntu/Debian AMIs do not have; the SSM command fails on such hosts with 'docker is not installed'. Give agents.release " +
    "{ url, sha256 } of a SPIRE release tarball (https://github.com/spiffe/spire/releases) to install the agent binary under systemd " +
    "instead, or agents.installScript.";

/** The SSM document and an association that runs it on every instance with the target tag. */
export function createAgents(
    scope: ComponentScope,
    agents: SpireAgents,
    agentConfig: pulumi.Output<string>,
    bootstrapBundlePem: pulumi.Output<string | undefined>,
    dockerAttestor: boolean,
): AgentResources {
    if (!agents.release && !agents.installScript) pulumi.log.warn(DOCKER_AGENT_INSTALL_WARNING(scope.name), scope.component);
    // An image known at preview was checked then; an Output (an ECR repository URL and tag) when it resolves.
    const agentImage =
        agents.agentImage === undefined
            ? pulumi.output(undefined)
            : checkedValue(scope.name, agents.agentImage, (v, image) => checkImage(v, "agents.agentImage", image, "agent"));
    const document = new aws.ssm.Document(
        scope.child("spire-agent-document"),
        {
            name: scope.physical(SSM_DOCUMENT_NAME_RULE, "spire-agent"),
            documentType: "Command",
            documentFormat: "JSON",
            targetType: "/AWS::EC2::Instance",
            content: pulumi
                .all([agentConfig, bootstrapBundlePem, agentImage])
                .apply(([config, bundle, image]) =>
                    JSON.stringify(agentDocument({ agentConfig: config, bootstrapBundlePem: bundle ?? "", agents: { ...agents, agentImage: image }, dockerAttestor }), null, 2),
                ),
            tags: scope.tags,
        },
        scope.opts(),
    );
    new aws.ssm.Association(
        scope.child("spire-agent-association"),
        {
            name: document.name,
            associationName: scope.physical(SSM_DOCUMENT_NAME_RULE, "spire-agent"),
            targets: [{ key: `tag:${agents.targetTag.key}`, values: [agents.targetTag.value] }],
            maxConcurrency: "25%",
            maxErrors: "10%",
            complianceSeverity: "HIGH",
            tags: scope.tags,
        },
        scope.opts({ parent: document }),
    );
    return { documentName: document.name };
}
