/**
 * The plan of `pulumi preview --json` as the e2e suites assert it: which resources an update
 * creates, updates, replaces or deletes, and which of those hold state or identity.
 */
import type { PulumiWorkspace } from "./workspace";

export interface PlannedStep {
    op: string;
    urn: string;
    type: string;
    name: string;
}

/** Resources whose replacement or deletion loses data or identity nobody asked to lose. */
export const STATEFUL_TYPES = new Set([
    "aws:rds/instance:Instance",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:dynamodb/table:Table",
    "aws:secretsmanager/secret:Secret",
    "aws:ecr/repository:Repository",
    "aws:kms/key:Key",
    "tls:index/privateKey:PrivateKey",
    "tls:index/selfSignedCert:SelfSignedCert",
    "aws:cognito/userPool:UserPool",
    "aws:verifiedpermissions/policyStore:PolicyStore",
    "aws:cloudwatch/logGroup:LogGroup",
]);

const LOSING_OPS = new Set(["replace", "create-replacement", "delete-replaced", "delete"]);

export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? qualified;
}

export function planOf(ws: PulumiWorkspace, dir: string): PlannedStep[] {
    const out = ws.run(["preview", "--json"], dir).stdout;
    const parsed = JSON.parse(out.slice(out.indexOf("{")));
    return (parsed.steps ?? []).map((s: { op: string; urn: string }) => ({ op: s.op, urn: s.urn, type: typeOfUrn(s.urn), name: s.urn.split("::").pop()! }));
}

/** Stateful or identity resources the plan replaces or deletes, except those the change asks for. */
export function statefulLosses(plan: PlannedStep[], askedFor: RegExp[] = []): string[] {
    return plan
        .filter((s) => STATEFUL_TYPES.has(s.type) && LOSING_OPS.has(s.op) && !askedFor.some((r) => r.test(s.name)))
        .map((s) => `${s.op} ${s.type} ${s.name}`)
        .filter((v, i, all) => all.indexOf(v) === i);
}

export const changed = (plan: PlannedStep[]) => plan.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.type} ${s.name}`);
