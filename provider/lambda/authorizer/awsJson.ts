/**
 * The two AWS JSON-protocol calls the authorizer makes (Verified Permissions' IsAuthorized[WithToken],
 * Secrets Manager's GetSecretValue), signed with Signature Version 4 by the AWS SDK's own signer
 * (@smithy/signature-v4, bundled) over node:crypto and sent with fetch. It replaces the full AWS SDK
 * clients, whose loading was most of the authorizer's cold start (about 120 ms of a 500 KiB bundle).
 * Credentials are the execution role's, which Lambda puts in the environment.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

export interface AwsCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

/** The execution role's credentials, as Lambda sets them for the function. */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): AwsCredentials {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error("no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
    return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

export interface SignInput {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body: string;
    service: string;
    region: string;
    credentials: AwsCredentials;
    now: Date;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer | string {
    if (typeof data === "string") return data;
    return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** node:crypto's SHA-256 and HMAC behind the checksum interface the signer takes. */
class NodeSha256 {
    private readonly hash: Hash | Hmac;

    constructor(secret?: SourceData) {
        this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
    }

    update(data: SourceData): void {
        this.hash.update(toBuffer(data));
    }

    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
    }
}

/** The request's headers with `host`, `x-amz-date`, the session token and the SigV4 `authorization` added. */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
    const signer = new SignatureV4({ service: input.service, region: input.region, credentials: input.credentials, sha256: NodeSha256, applyChecksum: false });
    const query: Record<string, string> = {};
    input.url.searchParams.forEach((value, key) => {
        query[key] = value;
    });
    const signed = await signer.sign(
        {
            method: input.method,
            protocol: input.url.protocol,
            hostname: input.url.hostname,
            path: input.url.pathname || "/",
            query,
            headers: { ...input.headers, host: input.url.host },
            body: input.body,
        },
        { signingDate: input.now },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((signed as { headers: Record<string, string> }).headers)) headers[name.toLowerCase()] = value;
    return headers;
}

/** An error AWS answered with; `name` is its error code (ThrottlingException, ValidationException, ...). */
export class AwsServiceError extends Error {
    constructor(
        name: string,
        message: string,
        readonly status: number,
    ) {
        super(message);
        this.name = name;
    }
}

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

export interface AwsJsonCall {
    /** Signing name and endpoint prefix, for example `verifiedpermissions`. */
    service: string;
    region: string;
    /** `<service target>.<operation>`, for example `VerifiedPermissions.IsAuthorized`. */
    target: string;
    /** `1.0` or `1.1`, the service's JSON protocol version. */
    jsonVersion: "1.0" | "1.1";
    body: unknown;
}

export interface AwsJsonClientOptions {
    credentials?: () => AwsCredentials;
    fetch?: Fetch;
    /** Per attempt. Default: 2000 ms, well inside the function's timeout. */
    timeoutMs?: number;
    now?: () => Date;
    /** Wait before the one retry of a throttled or failed (5xx) call. Default: 100 ms. */
    retryDelayMs?: number;
}

export function endpointHost(service: string, region: string): string {
    return `${service}.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

const RETRYABLE = new Set(["ThrottlingException", "ServiceUnavailableException", "InternalServerException", "InternalServiceError"]);

/** Signs and sends AWS JSON-protocol calls; retries a throttled or 5xx answer once. */
export function awsJsonClient(options: AwsJsonClientOptions = {}) {
    const credentials = options.credentials ?? (() => credentialsFromEnv());
    const send: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
    const timeoutMs = options.timeoutMs ?? 2000;
    const now = options.now ?? (() => new Date());
    const retryDelayMs = options.retryDelayMs ?? 100;

    async function attempt(call: AwsJsonCall): Promise<unknown> {
        const url = new URL(`https://${endpointHost(call.service, call.region)}/`);
        const body = JSON.stringify(call.body);
        const headers = await signRequest({
            method: "POST",
            url,
            headers: { "content-type": `application/x-amz-json-${call.jsonVersion}`, "x-amz-target": call.target },
            body,
            service: call.service,
            region: call.region,
            credentials: credentials(),
            now: now(),
        });
        delete headers.host;
        const response = await send(url.toString(), { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
        const text = await response.text();
        let parsed: Record<string, unknown> = {};
        try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
            if (response.status === 200) throw new AwsServiceError("InvalidResponse", `${call.target} answered with a body that is not JSON`, response.status);
        }
        if (response.status === 200) return parsed;
        const type = typeof parsed.__type === "string" ? parsed.__type.split("#").pop()! : `HTTP${response.status}`;
        const message = typeof parsed.message === "string" ? parsed.message : typeof parsed.Message === "string" ? parsed.Message : `${call.target} failed with HTTP ${response.status}`;
        throw new AwsServiceError(type, message, response.status);
    }

    return {
        async call(call: AwsJsonCall): Promise<unknown> {
            try {
                return await attempt(call);
            } catch (error) {
                const retryable = error instanceof AwsServiceError ? RETRYABLE.has(error.name) || error.status >= 500 : (error as Error)?.name !== "TimeoutError";
                if (!retryable) throw error;
                await new Promise((done) => setTimeout(done, retryDelayMs));
                return attempt(call);
            }
        },
    };
}

export type AwsJsonClient = ReturnType<typeof awsJsonClient>;
