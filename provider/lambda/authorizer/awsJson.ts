/**
 * The two AWS JSON-protocol calls the authorizer makes (Verified Permissions' IsAuthorized[WithToken],
 * Secrets Manager's GetSecretValue), signed with Signature Version 4 by node:crypto and sent with
 * fetch. It replaces the AWS SDK, whose loading was most of the authorizer's cold start (about
 * 120 ms of a 500 KiB bundle). Credentials are the execution role's, which Lambda puts in the
 * environment. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac } from "node:crypto";

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

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** `20260101T000000Z` */
export function amzDate(now: Date): string {
    return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** The request's headers with `host`, `x-amz-date`, the session token and the SigV4 `authorization` added. */
export function signRequest(input: SignInput): Record<string, string> {
    const date = amzDate(input.now);
    const day = date.slice(0, 8);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v;
    headers.host = input.url.host;
    headers["x-amz-date"] = date;
    if (input.credentials.sessionToken) headers["x-amz-security-token"] = input.credentials.sessionToken;
    const names = Object.keys(headers).sort();
    const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, " ")}\n`).join("");
    const signedHeaders = names.join(";");
    const canonicalRequest = [input.method, input.url.pathname || "/", input.url.search.replace(/^\?/, ""), canonicalHeaders, signedHeaders, sha256Hex(input.body)].join("\n");
    const scope = `${day}/${input.region}/${input.service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest)].join("\n");
    const key = hmac(hmac(hmac(hmac(`AWS4${input.credentials.secretAccessKey}`, day), input.region), input.service), "aws4_request");
    const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
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
        const headers = signRequest({
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
