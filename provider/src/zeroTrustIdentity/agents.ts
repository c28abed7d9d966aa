import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { SpireAgents } from "./args";
import { AGENT_PATHS, DEFAULT_AGENT_IMAGE } from "./settings";

export const SSM_DOCUMENT_NAME_RULE = { maxLength: 128, allowed: "_-." };

const SYSTEMD_UNIT = `[Unit]
Description=SPIRE agent
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${AGENT_PATHS.binary} run -config ${AGENT_PATHS.config}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const writeFile = (path: string, content: string, mode: string) => [`echo '${b64(content)}' | base64 -d > ${path}`, `chmod ${mode} ${path}`];

export interface AgentInstall {
    agentConfig: string;
    /** PEM of the bootstrap trust bundle (the trust root), written to `trust_bundle_path`. */
    bootstrapBundlePem: string;
    agents: SpireAgents;
    /** Mount the Docker socket for the docker workload attestor. */
    dockerAttestor: boolean;
}

/**
 * The shell lines that install and (re)start the agent on an instance. Files are written from
 * base64 so no content is ever interpreted by the shell. With `installScript`, the script must
 * leave the agent binary at /opt/spire/bin/spire-agent; a systemd unit runs it. Otherwise the
 * agent image runs under Docker with the host's PID namespace and network (the unix attestor reads
 * /proc of other users' processes: SYS_PTRACE), the D-Bus socket (systemd attestor) and, when
 * used, the Docker socket (docker attestor).
 */
export function agentInstallCommands(input: AgentInstall): string[] {
    const lines = [
        "set -euo pipefail",
        `install -d -m 0755 ${AGENT_PATHS.configDir} ${AGENT_PATHS.dataDir} $(dirname ${AGENT_PATHS.socketPath})`,
        ...writeFile(AGENT_PATHS.config, input.agentConfig, "0644"),
        ...writeFile(AGENT_PATHS.bundle, input.bootstrapBundlePem, "0644"),
    ];
    if (input.agents.installScript) {
        lines.push(
            ...writeFile("/tmp/rampart-install-spire-agent.sh", input.agents.installScript, "0700"),
            "bash /tmp/rampart-install-spire-agent.sh",
            `test -x ${AGENT_PATHS.binary}`,
            ...writeFile("/etc/systemd/system/spire-agent.service", SYSTEMD_UNIT, "0644"),
            "systemctl daemon-reload",
            "systemctl enable spire-agent",
            "systemctl restart spire-agent",
        );
        return lines;
    }
    const image = input.agents.agentImage ?? DEFAULT_AGENT_IMAGE;
    const socketDir = AGENT_PATHS.socketPath.slice(0, AGENT_PATHS.socketPath.lastIndexOf("/"));
    const volumes = [
        `${AGENT_PATHS.configDir}:${AGENT_PATHS.configDir}:ro`,
        `${AGENT_PATHS.dataDir}:${AGENT_PATHS.dataDir}`,
        `${socketDir}:${socketDir}`,
        "/run/dbus/system_bus_socket:/run/dbus/system_bus_socket",
        ...(input.dockerAttestor ? ["/var/run/docker.sock:/var/run/docker.sock"] : []),
    ];
    lines.push(
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

/** The SSM document and an association that runs it on every instance with the target tag. */
export function createAgents(
    scope: ComponentScope,
    agents: SpireAgents,
    agentConfig: pulumi.Output<string>,
    bootstrapBundlePem: pulumi.Output<string | undefined>,
    dockerAttestor: boolean,
): AgentResources {
    const document = new aws.ssm.Document(
        scope.child("spire-agent-document"),
        {
            name: scope.physical(SSM_DOCUMENT_NAME_RULE, "spire-agent"),
            documentType: "Command",
            documentFormat: "JSON",
            targetType: "/AWS::EC2::Instance",
            content: pulumi
                .all([agentConfig, bootstrapBundlePem])
                .apply(([config, bundle]) => JSON.stringify(agentDocument({ agentConfig: config, bootstrapBundlePem: bundle ?? "", agents, dockerAttestor }), null, 2)),
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
