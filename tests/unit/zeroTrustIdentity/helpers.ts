/** Fixtures and mock state shared by the ZeroTrustIdentity tests. */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";
import { join } from "path";
import { ZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity/args";
import { ACCOUNT_ID, REGION } from "../../utils/harness";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");

export const RSA_CA = { cert: fixture("rsa-ca.pem"), key: fixture("rsa-ca.key") };
/** An ECDSA P-256 intermediate CA signed by RSA_CA (not self-signed). */
export const INTERMEDIATE_CA = { cert: fixture("intermediate-ca.pem"), key: fixture("intermediate-ca.key") };
export const EC_CA = { cert: fixture("ec-ca.pem"), key: fixture("ec-ca.key") };

export const NLB_DNS = "internal-spire-0123456789.elb.us-east-1.amazonaws.com";
export const DB_HOST = "spire-db.c0ffee.us-east-1.rds.amazonaws.com";
export const DB_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-0123-AbC1Ef`;
export const VPC_ID = "vpc-0abc";
export const SUBNETS = ["subnet-0a", "subnet-0b", "subnet-0c"];

/**
 * What the real providers would compute: the tls provider's key and certificate (the fixtures,
 * matched to the requested algorithm), the load balancer's DNS name, and the RDS endpoint with
 * its managed secret.
 */
export function computeState(args: pulumi.runtime.MockResourceArgs): Record<string, any> | undefined {
    switch (args.type) {
        case "tls:index/privateKey:PrivateKey": {
            const ca = args.inputs.algorithm === "ECDSA" ? EC_CA : RSA_CA;
            return { privateKeyPem: ca.key };
        }
        case "tls:index/selfSignedCert:SelfSignedCert": {
            // Secret inputs reach the mock wrapped ({value}).
            const key = args.inputs.privateKeyPem;
            const pem = typeof key === "object" && key !== null ? key.value : key;
            const ca = String(pem ?? "").includes("EC PRIVATE KEY") ? EC_CA : RSA_CA;
            return { certPem: ca.cert };
        }
        case "aws:lb/loadBalancer:LoadBalancer":
            return { dnsName: NLB_DNS };
        case "aws:rds/instance:Instance":
            return { address: DB_HOST, masterUserSecrets: [{ secretArn: DB_SECRET_ARN, secretStatus: "active" }] };
        default:
            return undefined;
    }
}

/** Seed 004's services with the selectors the seed meant (systemd:id, not systemd:unit). */
export const SEED_004_WORKLOADS = ["metald", "billaged", "builderd", "assetmanagerd"].map((name) => ({
    name,
    path: `/service/${name}`,
    selectors: [
        { type: "unix", value: `path:/usr/bin/${name}` },
        { type: "systemd", value: `id:${name}.service` },
    ],
}));

export const ENROLMENT_TAG = { key: "spire-agent", value: "enabled" };

/** The reference configuration: seed 004 on SPIRE with agents, a generated root with a CRL, and a GitHub role. */
export function referenceArgs(profile: "ephemeral" | "production"): ZeroTrustIdentityArgs {
    return {
        stage: profile === "production" ? "prod" : "dev",
        profile: profile as never,
        trustDomain: "unkey.cloud",
        trustRoot: { crl: true, organization: "Unkey" },
        spire: {
            vpcId: VPC_ID,
            subnetIds: SUBNETS,
            allowedCidrBlocks: ["10.0.0.0/16"],
            ...(profile === "production" ? { datastore: { create: true } } : {}),
        },
        agents: { targetTag: ENROLMENT_TAG },
        workloads: SEED_004_WORKLOADS,
        githubOidc: { roles: [{ name: "deploy", repository: "unkeyed/unkey", branches: ["main"], environments: ["production"] }] },
    };
}

/** Every string inside a value (for leak checks). */
export function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

/** The base64 body of a PEM key, without headers: what a leak would contain. */
export function keyBody(pem: string): string {
    return pem.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
}
