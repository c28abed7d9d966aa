import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsEnvironment } from "../shared/environment";
import { serviceTrustPolicy } from "../shared/iam";
import { createLogGroup } from "../shared/logGroup";
import { ANYWHERE_IPV4, egressRule, ingressRule, Peer } from "../shared/securityGroupRules";
import { logRetentionByProfile } from "../shared/logs";
import { physicalPart } from "../shared/naming";
import { createRotationRedeploy } from "../shared/rotation";
import { ComponentScope } from "../shared/scope";
import { ZeroTrustIdentityArgs } from "./args";
import { createSpireDatabase } from "./datastore";
import { spireExecutionPolicy, spireKmsKeyPolicy, spireTaskPolicy } from "./policies";
import { PublicationBucket } from "./publication";
import { deploymentRefusal } from "../shared/replacementGuard";
import { renderReconcileScript } from "./reconcile";
import { awsIidProblems, checkAwsIidAccountIds, checkCidrBlock, checkImage, COMPONENT, spireSubnetIdsProblems } from "./validate";
import { checkedList, checkedValue } from "./resolved";
import { checkedWhenResolved } from "../shared/resolvedValidation";
import { RegistrationEntries, renderServerConfig } from "./render";
import {
    BUNDLE_OBJECT_KEY,
    caKeyType,
    CONFIG_INIT_IMAGE,
    kmsKeySpec,
    DATASTORE_CONNECTION_ENV,
    HEALTH_PORT,
    SERVER_PATHS,
    SERVER_PORT,
    serverConfig,
    SPIRE_SERVER_UID,
    SpireSettings,
    TrustRootSettings,
} from "./settings";
import { TrustRootResources } from "./trustRoot";


export interface SpireServerResources {
    /** `<load balancer DNS name>:8081`. */
    address: pulumi.Output<string>;
    loadBalancerDnsName: pulumi.Output<string>;
    serverConfigParameterName: pulumi.Output<string>;
    trustBundleUrl?: pulumi.Output<string>;
}

const CONTAINER = { init: "config-init", server: "spire-server", entries: "entries-reconciler" } as const;
const VOLUME = { config: "spire-config", data: "spire-data", socket: "spire-socket", tools: "spire-tools" } as const;
const CONFIG_ENV = "SPIRE_SERVER_CONFIG";
/** The aws_kms KeyManager's key policy (JSON, not secret), which config-init writes to `SERVER_PATHS.kmsKeyPolicy`. */
const KMS_KEY_POLICY_ENV = "SPIRE_KMS_KEY_POLICY";
/** Where config-init puts a copy of its (static) busybox and the applet links, for the reconciler. */
export const TOOLS_DIR = "/run/spire/tools";
const SPIRE_SERVER_BINARY = "/opt/spire/bin/spire-server";

/**
 * The shell command of the init container: it writes the configuration it received through
 * `secrets` into the config volume, readable only by the spire-server user, and hands the data and
 * socket volumes to that user. With registration entries it also copies its static busybox into
 * the tools volume and links the applets there: the SPIRE image has no shell, and the entries
 * reconciler runs its script with that busybox inside the server image (next to spire-server).
 */
export function configInitScript(withReconciler: boolean, withKmsKeyPolicy = false): string {
    const dirs = [SERVER_PATHS.configDir, SERVER_PATHS.dataDir, SERVER_PATHS.socketDir].join(" ");
    return [
        "set -eu",
        "umask 077",
        `printf '%s' "$${CONFIG_ENV}" > ${SERVER_PATHS.config}`,
        ...(withKmsKeyPolicy ? [`printf '%s' "$${KMS_KEY_POLICY_ENV}" > ${SERVER_PATHS.kmsKeyPolicy}`] : []),
        `chown -R ${SPIRE_SERVER_UID}:${SPIRE_SERVER_UID} ${dirs}`,
        ...(withReconciler
            ? [
                  `cp /bin/busybox ${TOOLS_DIR}/busybox`,
                  `mkdir -p ${TOOLS_DIR}/bin`,
                  `${TOOLS_DIR}/busybox --install -s ${TOOLS_DIR}/bin`,
                  `chmod -R a+rX ${TOOLS_DIR}`,
                  `chmod 0555 ${TOOLS_DIR}/busybox`,
              ]
            : []),
    ].join("\n");
}

interface ContainerSecrets {
    server: { name: string; valueFrom: string }[];
}

/**
 * The task's containers. The SPIRE image has no shell, so the rendered configuration, held in an
 * SSM SecureString parameter, reaches the server like this: ECS injects the parameter into the
 * `config-init` container (busybox) as the secret environment variable SPIRE_SERVER_CONFIG; that
 * container writes it to `/run/spire/config/server.conf` on a task volume and exits; the server
 * starts after it succeeded and reads the file. Datastore credentials are injected into the server
 * the same way (never plain environment).
 *
 * When workloads are given, `entries-reconciler` (the server image, running config-init's busybox
 * `sh`) runs the reconcile script (reconcile.ts) against the server's socket once the server is
 * healthy: the server ends up holding exactly the declared entries. It is **essential**: when the
 * entries cannot be reconciled it exits 1 and ECS stops the task, so the deployment's circuit
 * breaker fails (and rolls back to the last task definition that reconciled) instead of a server
 * silently serving stale or removed identities; after a successful pass it idles until the task
 * stops. (A non-essential one-shot container's exit code is seen by nobody.)
 */
export function containerDefinitions(input: {
    serverImage: string;
    configParameterArn: string;
    logGroup: string;
    region: string;
    reconcileScript?: string;
    /** The key policy of the aws_kms KeyManager's keys (JSON), when the server keeps its keys in KMS. */
    kmsKeyPolicy?: string;
    expandEnv: boolean;
    secrets: ContainerSecrets;
    ports: number[];
}): object[] {
    const log = (prefix: string) => ({
        logDriver: "awslogs",
        options: { "awslogs-group": input.logGroup, "awslogs-region": input.region, "awslogs-stream-prefix": prefix },
    });
    const mount = (sourceVolume: string, containerPath: string, readOnly = false) => ({ sourceVolume, containerPath, readOnly });
    const reconcile = input.reconcileScript !== undefined;
    const definitions: object[] = [
        {
            name: CONTAINER.init,
            image: CONFIG_INIT_IMAGE,
            essential: false,
            user: "0",
            command: ["sh", "-c", configInitScript(reconcile, input.kmsKeyPolicy !== undefined)],
            secrets: [{ name: CONFIG_ENV, valueFrom: input.configParameterArn }],
            environment: input.kmsKeyPolicy !== undefined ? [{ name: KMS_KEY_POLICY_ENV, value: input.kmsKeyPolicy }] : [],
            mountPoints: [
                mount(VOLUME.config, SERVER_PATHS.configDir),
                mount(VOLUME.data, SERVER_PATHS.dataDir),
                mount(VOLUME.socket, SERVER_PATHS.socketDir),
                ...(reconcile ? [mount(VOLUME.tools, TOOLS_DIR)] : []),
            ],
            readonlyRootFilesystem: true,
            logConfiguration: log("config-init"),
        },
        {
            name: CONTAINER.server,
            image: input.serverImage,
            essential: true,
            command: ["-config", SERVER_PATHS.config, ...(input.expandEnv ? ["-expandEnv"] : [])],
            portMappings: input.ports.map((containerPort) => ({ containerPort, protocol: "tcp" })),
            dependsOn: [{ containerName: CONTAINER.init, condition: "SUCCESS" }],
            secrets: input.secrets.server,
            mountPoints: [mount(VOLUME.config, SERVER_PATHS.configDir, true), mount(VOLUME.data, SERVER_PATHS.dataDir), mount(VOLUME.socket, SERVER_PATHS.socketDir)],
            readonlyRootFilesystem: true,
            healthCheck: { command: ["CMD", SPIRE_SERVER_BINARY, "healthcheck"], interval: 15, timeout: 5, retries: 3, startPeriod: 60 },
            logConfiguration: log("spire-server"),
        },
    ];
    if (reconcile) {
        definitions.push({
            name: CONTAINER.entries,
            image: input.serverImage,
            essential: true,
            entryPoint: [`${TOOLS_DIR}/busybox`, "sh", "-c"],
            command: [input.reconcileScript],
            environment: [{ name: "PATH", value: `${TOOLS_DIR}/bin` }],
            dependsOn: [{ containerName: CONTAINER.server, condition: "HEALTHY" }],
            mountPoints: [mount(VOLUME.socket, SERVER_PATHS.socketDir), mount(VOLUME.tools, TOOLS_DIR, true)],
            readonlyRootFilesystem: true,
            logConfiguration: log("entries-reconciler"),
        });
    }
    return definitions;
}

export function createSpireServer(
    scope: ComponentScope,
    args: ZeroTrustIdentityArgs,
    settings: SpireSettings,
    root: TrustRootSettings | undefined,
    trustRoot: TrustRootResources | undefined,
    env: AwsEnvironment,
    publication: () => PublicationBucket,
    entries: RegistrationEntries | undefined,
): SpireServerResources {
    const spire = args.spire!;
    const vpcId = pulumi.output(spire.vpcId!);
    const subnetIds = checkedWhenResolved(COMPONENT, scope.name, spire.subnetIds!, (ids) => spireSubnetIdsProblems(ids, settings.datastore === "rds"));
    const serverImage = checkedValue(scope.name, settings.serverImage, (v, image) => checkImage(v, "spire.serverImage", image, "server"));
    const opts = scope.opts();
    const parent = scope.component;

    // --- Network -----------------------------------------------------------------------------
    const vpcCidr = aws.ec2.getVpcOutput({ id: vpcId }, { parent }).cidrBlock;
    // One rule per block, named by its position: the list is plain, each block may be an Output (checked when it resolves).
    const agentCidrs: pulumi.Input<string>[] = spire.allowedCidrBlocks?.length
        ? spire.allowedCidrBlocks.map((cidr, i) => checkedValue(scope.name, cidr, (v, resolved) => checkCidrBlock(v, `spire.allowedCidrBlocks[${i}]`, resolved)))
        : [vpcCidr];
    const taskSg = new aws.ec2.SecurityGroup(
        scope.child("spire-sg"),
        { vpcId, description: "SPIRE servers: agent API from the allowed CIDR blocks, health checks from the VPC", tags: scope.named(scope.physical("securityGroup", "spire")) },
        opts,
    );
    const ingress = (suffix: string, cidr: pulumi.Input<string>, port: number, description: string) =>
        ingressRule(scope, scope.child("spire-sg", suffix), taskSg, { cidrIpv4: cidr }, { from: port }, description, { parent: taskSg });
    agentCidrs.forEach((cidr, i) => ingress(`agents-${i}`, cidr, SERVER_PORT, "SPIRE agent and server API"));
    ingress("health", vpcCidr, HEALTH_PORT, "Load balancer health checks");
    ingress("telemetry", vpcCidr, settings.telemetryPort, "Prometheus metrics");
    if (settings.bundleEndpointPort !== undefined) {
        agentCidrs.forEach((cidr, i) => ingress(`bundle-endpoint-${i}`, cidr, settings.bundleEndpointPort!, "SPIFFE bundle endpoint (federation)"));
    }
    const egress = (suffix: string, port: number, target: Peer, description: string) =>
        egressRule(scope, scope.child("spire-sg", suffix), taskSg, target, { from: port }, description, { parent: taskSg });
    egress("https", 443, { cidrIpv4: ANYWHERE_IPV4 }, "AWS APIs, image registries and federated bundle endpoints (HTTPS)");
    const federationPorts = [...new Set(settings.federatesWith.map((f) => Number(new URL(f.bundleEndpointUrl).port || 443)))].filter((p) => p !== 443);
    federationPorts.forEach((port) => egress(`federation-${port}`, port, { cidrIpv4: ANYWHERE_IPV4 }, "Federated bundle endpoint"));

    // --- Datastore ---------------------------------------------------------------------------
    const database = settings.datastore === "rds" ? createSpireDatabase(scope, { vpcId, subnetIds, taskSecurityGroup: taskSg }) : undefined;
    if (database) egress("database", database.port, { referencedSecurityGroupId: database.securityGroup.id }, "SPIRE datastore (PostgreSQL)");
    const connectionSecretArn = settings.datastore === "secret" ? pulumi.output(spire.datastore!.connectionStringSecretArn!) : undefined;

    // --- Configuration -----------------------------------------------------------------------
    const bucket = settings.bundlePublishing ? publication() : undefined;
    const upstream = trustRoot ? trustRoot.upstreamAuthority(env.region) : pulumi.output(undefined);
    // The attesting accounts: a list known at preview was checked then; an Output (or a list with an Output item) is
    // checked by the same rules when it resolves.
    const assumeRoleName = settings.awsIid.assumeRoleName;
    const accountIds = checkedList(scope.name, settings.awsIid.accountIds, (v, ids) => checkAwsIidAccountIds(v, ids, assumeRoleName));
    // aws_iid needs the deploying account and partition: checked once the provider answers (at preview), before the
    // configuration parameter exists.
    const attestation = pulumi.all([env.accountId, env.partition, accountIds]).apply(([accountId, partition, ids]) => {
        const problems = awsIidProblems({ accountIds: ids, assumeRoleName }, { accountId, partition });
        if (problems.length) throw deploymentRefusal(COMPONENT, scope.name, problems);
        return partition;
    });
    const configText = pulumi
        .all([env.region, upstream, bucket?.name, database?.host, attestation])
        .apply(([region, upstreamAuthority, bundleBucket, host, partition]) =>
            renderServerConfig(
                serverConfig(settings, root, {
                    trustDomain: args.trustDomain!,
                    region,
                    partition,
                    upstreamAuthority,
                    bundleBucket,
                    database: database && host ? { host, port: database.port, name: database.name } : undefined,
                }),
            ),
        );
    const configKey = new aws.kms.Key(
        scope.child("spire-config-kms"),
        { description: `Encrypts the SPIRE server configuration of ${scope.name} (${scope.stage})`, enableKeyRotation: true, deletionWindowInDays: scope.production ? 30 : 7, tags: scope.tags },
        opts,
    );
    const parameter = new aws.ssm.Parameter(
        scope.child("spire-server-conf"),
        {
            name: `/rampart/${physicalPart("pathSegment", scope.name)}/${scope.stage}/spire/server.conf`,
            description: "SPIRE server.conf (HCL), written to a file by the task's config-init container",
            type: "SecureString",
            keyId: configKey.arn,
            value: pulumi.secret(configText),
            tier: configText.apply((t) => (Buffer.byteLength(t) > 4096 ? "Advanced" : "Standard")),
            tags: scope.tags,
        },
        opts,
    );
    const logGroup = createLogGroup(scope, scope.child("spire-logs"), {
        name: `/rampart/${physicalPart("pathSegment", `${scope.name}-${scope.stage}`)}/spire-server`,
        retentionInDays: settings.logRetentionInDays,
    });

    // --- IAM ---------------------------------------------------------------------------------
    const ecsTrust = env.accountId.apply((account) => JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", { StringEquals: { "aws:SourceAccount": account } })));
    const executionRole = new aws.iam.Role(
        scope.child("spire-execution"),
        { name: scope.physical("iamRoleName", "spire-execution"), assumeRolePolicy: ecsTrust, description: "Starts the SPIRE server task", tags: scope.tags },
        opts,
    );
    const createdSecretArns: pulumi.Output<string>[] = database ? [database.secretArn] : [];
    const givenSecretArns: pulumi.Output<string>[] = connectionSecretArn ? [connectionSecretArn] : [];
    new aws.iam.RolePolicy(
        scope.child("spire-execution-policy"),
        {
            role: executionRole.id,
            policy: pulumi
                .all([env.region, parameter.arn, configKey.arn, logGroup.arn, pulumi.all(givenSecretArns), pulumi.all(createdSecretArns)])
                .apply(([region, configParameterArn, configKmsKeyArn, logGroupArn, secretArns, created]) =>
                    JSON.stringify(spireExecutionPolicy({ region, configParameterArn, configKmsKeyArn, logGroupArn, secretArns, createdSecretArns: created })),
                ),
        },
        scope.opts({ parent: executionRole }),
    );
    const taskRole = new aws.iam.Role(
        scope.child("spire-task"),
        { name: scope.physical("iamRoleName", "spire-server"), assumeRolePolicy: ecsTrust, description: "What the SPIRE server does in AWS: node attestation, upstream authority, bundle publishing", tags: scope.tags },
        opts,
    );
    const upstreamAccess = trustRoot ? trustRoot.upstreamAccess : pulumi.output(undefined);
    new aws.iam.RolePolicy(
        scope.child("spire-task-policy"),
        {
            role: taskRole.id,
            policy: pulumi
                .all([env.partition, env.region, env.accountId, upstreamAccess, bucket?.name, accountIds])
                .apply(([partition, region, accountId, access, bundleBucket, ids]) =>
                    JSON.stringify(
                        spireTaskPolicy({
                            partition,
                            region,
                            accountId,
                            awsIid: { accountIds: ids, assumeRoleName },
                            upstream: access,
                            bundleObject: bundleBucket ? { bucket: bundleBucket, key: BUNDLE_OBJECT_KEY } : undefined,
                            kmsKeyManager: settings.keyManager === "aws_kms" ? { trustDomain: args.trustDomain!, keySpec: kmsKeySpec(caKeyType(root)) } : undefined,
                        }),
                    ),
                ),
        },
        scope.opts({ parent: taskRole }),
    );

    // --- Load balancer -----------------------------------------------------------------------
    const nlb = new aws.lb.LoadBalancer(
        scope.child("spire-nlb"),
        {
            name: scope.physical("loadBalancerName", "spire"),
            internal: true,
            loadBalancerType: "network",
            subnets: subnetIds,
            enableCrossZoneLoadBalancing: true,
            enableDeletionProtection: scope.production,
            tags: scope.tags,
        },
        opts,
    );
    const targetGroup = (suffix: string, port: number) =>
        new aws.lb.TargetGroup(
            scope.child("spire-tg", suffix),
            {
                name: scope.physical("targetGroupName", `spire-${suffix}`),
                port,
                protocol: "TCP",
                targetType: "ip",
                vpcId,
                // SPIRE rate-limits attestation per client IP: keep the agents' addresses.
                preserveClientIp: "true",
                deregistrationDelay: 30,
                healthCheck: { enabled: true, protocol: "HTTP", port: String(HEALTH_PORT), path: "/ready", matcher: "200", interval: 10, healthyThreshold: 2, unhealthyThreshold: 3 },
                tags: scope.tags,
            },
            opts,
        );
    const listener = (suffix: string, port: number, group: aws.lb.TargetGroup) =>
        new aws.lb.Listener(
            scope.child("spire-listener", suffix),
            { loadBalancerArn: nlb.arn, port, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: group.arn }], tags: scope.tags },
            scope.opts({ parent: nlb }),
        );
    const serverGroup = targetGroup("api", SERVER_PORT);
    const listeners = [listener("api", SERVER_PORT, serverGroup)];
    const loadBalancers = [{ targetGroupArn: serverGroup.arn, containerName: CONTAINER.server, containerPort: SERVER_PORT }];
    if (settings.bundleEndpointPort !== undefined) {
        const bundleGroup = targetGroup("bundle", settings.bundleEndpointPort);
        listeners.push(listener("bundle", settings.bundleEndpointPort, bundleGroup));
        loadBalancers.push({ targetGroupArn: bundleGroup.arn, containerName: CONTAINER.server, containerPort: settings.bundleEndpointPort });
    }

    // --- ECS ---------------------------------------------------------------------------------
    const cluster = new aws.ecs.Cluster(
        scope.child("spire-cluster"),
        { name: scope.physical("ecsCluster", "spire"), settings: [{ name: "containerInsights", value: "enabled" }], tags: scope.tags },
        opts,
    );
    const serverSecrets = pulumi.all([database?.secretArn, connectionSecretArn]).apply(([dbSecret, connection]) => {
        if (dbSecret) return [{ name: "PGUSER", valueFrom: `${dbSecret}:username::` }, { name: "PGPASSWORD", valueFrom: `${dbSecret}:password::` }];
        if (connection) return [{ name: DATASTORE_CONNECTION_ENV, valueFrom: connection }];
        return [];
    });
    const kmsKeyPolicy =
        settings.keyManager === "aws_kms"
            ? pulumi
                  .all([env.partition, env.accountId, taskRole.name])
                  .apply(([partition, accountId, taskRoleName]) => JSON.stringify(spireKmsKeyPolicy({ partition, accountId, taskRoleName })))
            : pulumi.output(undefined);
    const ports = [SERVER_PORT, HEALTH_PORT, settings.telemetryPort, ...(settings.bundleEndpointPort !== undefined ? [settings.bundleEndpointPort] : [])];
    const reconcileScript = entries
        ? renderReconcileScript(entries.entries, { spireServer: SPIRE_SERVER_BINARY, socketPath: `${SERVER_PATHS.socketDir}/api.sock`, stayRunning: true })
        : undefined;
    const taskDefinition = new aws.ecs.TaskDefinition(
        scope.child("spire-task-definition"),
        {
            family: scope.physical("ecsService", "spire-server"),
            cpu: String(settings.cpu),
            memory: String(settings.memory),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            volumes: [{ name: VOLUME.config }, { name: VOLUME.data }, { name: VOLUME.socket }, ...(entries ? [{ name: VOLUME.tools }] : [])],
            containerDefinitions: pulumi
                .all([parameter.arn, logGroup.name, env.region, serverSecrets, kmsKeyPolicy, serverImage])
                .apply(([configParameterArn, group, region, secrets, keyPolicy, image]) =>
                    JSON.stringify(
                        containerDefinitions({
                            serverImage: image,
                            configParameterArn,
                            logGroup: group,
                            region,
                            reconcileScript,
                            kmsKeyPolicy: keyPolicy,
                            expandEnv: settings.datastore === "secret",
                            secrets: { server: secrets },
                            ports,
                        }),
                    ),
                ),
            tags: scope.tags,
        },
        opts,
    );
    const singleWriter = settings.datastore === "sqlite";
    const service = new aws.ecs.Service(
        scope.child("spire-service"),
        {
            name: scope.physical("ecsService", "spire-server"),
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: settings.serverCount,
            launchType: "FARGATE",
            networkConfiguration: { subnets: subnetIds, securityGroups: [taskSg.id], assignPublicIp: false },
            loadBalancers,
            healthCheckGracePeriodSeconds: 120,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            // A sqlite datastore lives in one task: never run two side by side.
            deploymentMinimumHealthyPercent: singleWriter ? 0 : 100,
            deploymentMaximumPercent: singleWriter ? 100 : 200,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            enableExecuteCommand: false,
            tags: scope.tags,
        },
        scope.opts({ dependsOn: listeners }),
    );
    // The server reads PGUSER/PGPASSWORD when its task starts: after RDS rotated the password, new tasks take over
    // (shared/rotation.ts). A `secret` datastore's connection string is the user's and rotates only if they rotate it.
    if (database) {
        createRotationRedeploy(scope, {
            key: "spire-db",
            secretArn: database.secretArn,
            ecsServices: [{ cluster: cluster.arn, serviceName: service.name, serviceArn: service.arn }],
            appRunnerServiceArns: [],
            env,
            logRetentionDays: logRetentionByProfile(scope.profile),
            consumersLabel: "the SPIRE server",
        });
    }

    return {
        address: pulumi.interpolate`${nlb.dnsName}:${SERVER_PORT}`,
        loadBalancerDnsName: nlb.dnsName,
        serverConfigParameterName: parameter.name,
        trustBundleUrl: bucket?.objectUrl(BUNDLE_OBJECT_KEY),
    };
}
