import { describe, expect, it } from "vitest";
import { verifiedPermissionsClient } from "../../../provider/lambda/authorizer/avp";
import { AwsServiceError, awsJsonClient, credentialsFromEnv, signRequest, type Fetch } from "../../../provider/lambda/authorizer/awsJson";
import { readSecretString } from "../../../provider/lambda/authorizer/secrets";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example" };
const NOW = new Date("2026-11-30T05:00:00.000Z");

describe("Signature Version 4", () => {
    // AWS's worked example: a signed IAM ListUsers request, with its published signature.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html (example in the signing steps)
    it("reproduces the signature of AWS's documented example request", async () => {
        const headers = await signRequest({
            method: "GET",
            url: new URL("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
            body: "",
            service: "iam",
            region: "us-east-1",
            credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
            now: new Date("2015-08-30T12:36:00Z"),
        });
        expect(headers["x-amz-date"]).toBe("20150830T123600Z");
        expect(headers.authorization).toBe(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        );
    });

    it("signs a Verified Permissions call with the session token and the target in the signed headers", async () => {
        const body = JSON.stringify({ policyStoreId: "ps-1", action: { actionType: "DocsApi::Action", actionId: "GET /documents/{id}" } });
        const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": "VerifiedPermissions.IsAuthorized" };
        const signed = await signRequest({ method: "POST", url: new URL("https://verifiedpermissions.eu-west-1.amazonaws.com/"), headers, body, service: "verifiedpermissions", region: "eu-west-1", credentials, now: NOW });
        expect(signed["x-amz-date"]).toBe("20261130T050000Z");
        expect(signed["x-amz-security-token"]).toBe(credentials.sessionToken);
        expect(signed.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261130\/eu-west-1\/verifiedpermissions\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/);
        const otherBody = await signRequest({ method: "POST", url: new URL("https://verifiedpermissions.eu-west-1.amazonaws.com/"), headers, body: `${body} `, service: "verifiedpermissions", region: "eu-west-1", credentials, now: NOW });
        expect(otherBody.authorization, "the body is part of the signature").not.toBe(signed.authorization);
    });

    it("takes the execution role's credentials from the environment, or says they are missing", () => {
        expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" })).toEqual({ accessKeyId: "a", secretAccessKey: "s", sessionToken: "t" });
        expect(() => credentialsFromEnv({})).toThrow(/no AWS credentials in the environment/);
    });
});

function fakeFetch(answers: { status: number; body: string }[]) {
    const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
    const fetch: Fetch = async (url, init) => {
        sent.push({ url, headers: init.headers, body: init.body });
        const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
        return { status: answer.status, text: async () => answer.body };
    };
    return { fetch, sent };
}

describe("AWS JSON client", () => {
    const client = (fetch: Fetch) => awsJsonClient({ fetch, credentials: () => credentials, now: () => NOW, retryDelayMs: 0 });

    it("calls IsAuthorizedWithToken as Verified Permissions' JSON 1.0 API and reads the decision", async () => {
        const { fetch, sent } = fakeFetch([{ status: 200, body: JSON.stringify({ decision: "ALLOW", determiningPolicies: [{ policyId: "readers" }], errors: [] }) }]);
        const avp = verifiedPermissionsClient("us-east-1", client(fetch));
        const result = await avp.isAuthorizedWithToken({ policyStoreId: "ps-1", identityToken: "id.token.sig", action: { type: "DocsApi::Action", id: "GET /documents" }, resource: { type: "DocsApi::Resource", id: "/documents" } });
        expect(result).toEqual({ decision: "ALLOW", determiningPolicies: ["readers"], errors: [] });
        expect(sent).toHaveLength(1);
        expect(sent[0].url).toBe("https://verifiedpermissions.us-east-1.amazonaws.com/");
        expect(sent[0].headers).toMatchObject({ "content-type": "application/x-amz-json-1.0", "x-amz-target": "VerifiedPermissions.IsAuthorizedWithToken", "x-amz-security-token": "session-token-example" });
        expect(sent[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261130\/us-east-1\/verifiedpermissions\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/);
        expect(JSON.parse(sent[0].body)).toEqual({
            policyStoreId: "ps-1",
            identityToken: "id.token.sig",
            action: { actionType: "DocsApi::Action", actionId: "GET /documents" },
            resource: { entityType: "DocsApi::Resource", entityId: "/documents" },
        });
    });

    it("sends IsAuthorized with the principal's entities", async () => {
        const { fetch, sent } = fakeFetch([{ status: 200, body: JSON.stringify({ decision: "DENY", determiningPolicies: [], errors: [{ errorDescription: "x" }] }) }]);
        const principal = { type: "DocsApi::User", id: "jwt|svc" };
        const result = await verifiedPermissionsClient("us-east-1", client(fetch)).isAuthorized({
            policyStoreId: "ps-1",
            principal,
            action: { type: "DocsApi::Action", id: "GET /documents" },
            resource: { type: "DocsApi::Resource", id: "/documents" },
            entities: [{ uid: principal, parents: [{ type: "DocsApi::UserGroup", id: "jwt|readers" }] }],
        });
        expect(result).toEqual({ decision: "DENY", determiningPolicies: [], errors: ["x"] });
        expect(sent[0].headers["x-amz-target"]).toBe("VerifiedPermissions.IsAuthorized");
        expect(JSON.parse(sent[0].body).entities).toEqual({
            entityList: [{ identifier: { entityType: "DocsApi::User", entityId: "jwt|svc" }, parents: [{ entityType: "DocsApi::UserGroup", entityId: "jwt|readers" }] }],
        });
    });

    it("turns AWS errors into named errors, and retries a throttled call once", async () => {
        const throttled = { status: 400, body: JSON.stringify({ __type: "com.amazonaws.verifiedpermissions#ThrottlingException", message: "Rate exceeded" }) };
        const ok = { status: 200, body: JSON.stringify({ decision: "ALLOW" }) };
        const once = fakeFetch([throttled, ok]);
        expect(await client(once.fetch).call({ service: "verifiedpermissions", region: "us-east-1", target: "VerifiedPermissions.IsAuthorized", jsonVersion: "1.0", body: {} })).toEqual({ decision: "ALLOW" });
        expect(once.sent).toHaveLength(2);

        const always = fakeFetch([throttled]);
        const error = await client(always.fetch).call({ service: "verifiedpermissions", region: "us-east-1", target: "VerifiedPermissions.IsAuthorized", jsonVersion: "1.0", body: {} }).catch((e) => e);
        expect(error).toBeInstanceOf(AwsServiceError);
        expect(error).toMatchObject({ name: "ThrottlingException", message: "Rate exceeded", status: 400 });
        expect(always.sent).toHaveLength(2);

        const denied = fakeFetch([{ status: 400, body: JSON.stringify({ __type: "AccessDeniedException", Message: "not allowed" }) }]);
        await expect(client(denied.fetch).call({ service: "secretsmanager", region: "us-east-1", target: "secretsmanager.GetSecretValue", jsonVersion: "1.1", body: {} })).rejects.toMatchObject({
            name: "AccessDeniedException",
            message: "not allowed",
        });
        expect(denied.sent).toHaveLength(1);
    });

    it("reads a secret with Secrets Manager's JSON 1.1 API", async () => {
        const { fetch, sent } = fakeFetch([{ status: 200, body: JSON.stringify({ SecretString: "s3cret-value", ARN: "arn" }) }]);
        expect(await readSecretString("arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwt", "eu-west-1", client(fetch))).toBe("s3cret-value");
        expect(sent[0].url).toBe("https://secretsmanager.eu-west-1.amazonaws.com/");
        expect(sent[0].headers).toMatchObject({ "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" });
        expect(JSON.parse(sent[0].body)).toEqual({ SecretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwt" });
        const empty = fakeFetch([{ status: 200, body: JSON.stringify({ SecretBinary: "AAAA" }) }]);
        await expect(readSecretString("arn", "eu-west-1", client(empty.fetch))).rejects.toThrow("the JWT secret has no string value");
    });
});
