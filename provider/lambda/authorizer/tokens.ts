import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

/** Who the token says the caller is, after its signature and claims were checked. */
export type VerifiedIdentity =
    | { kind: "cognito"; tokenUse: "id" | "access"; subject: string; groups: string[]; token: string }
    | { kind: "jwt"; subject: string; groups: string[] };

export interface TokenVerifier {
    verify(token: string): Promise<VerifiedIdentity>;
}

/** A token that must not be trusted; `reason` is safe to log (it never contains the token). */
export class TokenRejected extends Error {
    constructor(readonly reason: string) {
        super(reason);
        this.name = "TokenRejected";
    }
}

export function cognitoIssuer(region: string, userPoolId: string): string {
    return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export function cognitoJwksUrl(region: string, userPoolId: string): string {
    return `${cognitoIssuer(region, userPoolId)}/.well-known/jwks.json`;
}

function stringList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** jose's errors carry a `code` (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED, ...): a safe reason. */
function rejection(error: unknown): TokenRejected {
    if (error instanceof TokenRejected) return error;
    const code = (error as { code?: unknown })?.code;
    const claim = (error as { claim?: unknown })?.claim;
    if (typeof code === "string") return new TokenRejected(typeof claim === "string" ? `${code} (${claim})` : code);
    return new TokenRejected(`token verification failed: ${(error as Error)?.name ?? "error"}`);
}

export interface CognitoVerifierOptions {
    region: string;
    userPoolId: string;
    clientIds: string[];
    /** Key resolver; default: the user pool's JWKS fetched (and cached) by jose. */
    keys?: JWTVerifyGetKey;
}

/**
 * Verifies Cognito ID and access tokens: RS256 signature against the pool's JWKS, issuer, expiry,
 * `token_use`, and the app client (`aud` for ID tokens, `client_id` for access tokens).
 */
export function createCognitoVerifier(options: CognitoVerifierOptions): TokenVerifier {
    const issuer = cognitoIssuer(options.region, options.userPoolId);
    // Fetched once and cached per container; a slow fetch fails (and denies) well before the function's timeout.
    const keys = options.keys ?? createRemoteJWKSet(new URL(cognitoJwksUrl(options.region, options.userPoolId)), { timeoutDuration: 2000 });
    const clients = new Set(options.clientIds);
    return {
        async verify(token) {
            let payload: JWTPayload;
            try {
                ({ payload } = await jwtVerify(token, keys, { issuer, algorithms: ["RS256"], requiredClaims: ["exp", "sub", "token_use"] }));
            } catch (error) {
                throw rejection(error);
            }
            const tokenUse = payload.token_use;
            if (tokenUse !== "id" && tokenUse !== "access") throw new TokenRejected(`token_use is ${JSON.stringify(tokenUse)}; expected "id" or "access"`);
            const client = tokenUse === "id" ? payload.aud : payload.client_id;
            const audiences = Array.isArray(client) ? client : [client];
            if (!audiences.some((c) => typeof c === "string" && clients.has(c))) {
                throw new TokenRejected(`${tokenUse === "id" ? "aud" : "client_id"} is not an app client of the user pool`);
            }
            return { kind: "cognito", tokenUse, subject: payload.sub!, groups: stringList(payload["cognito:groups"]), token };
        },
    };
}

export interface SecretVerifierOptions {
    /** The HS256 key; called for every token, so cache it (see once). */
    secret: () => Promise<string>;
    /** The `iss` every token must carry. */
    issuer: string;
    /** The audience every token must name in `aud`. */
    audience: string;
}

/**
 * Verifies HS256 tokens signed with the shared secret: signature, expiry, issuer, audience and a
 * subject. Groups come from `groups` or `cognito:groups`.
 */
export function createSecretVerifier(options: SecretVerifierOptions): TokenVerifier {
    if (!options.issuer || !options.audience) throw new Error("an HS256 verifier needs the expected issuer and audience");
    let key: { secret: string; bytes: Uint8Array } | undefined;
    return {
        async verify(token) {
            const secret = await options.secret();
            if (key?.secret !== secret) key = { secret, bytes: new TextEncoder().encode(secret) };
            let payload: JWTPayload;
            try {
                ({ payload } = await jwtVerify(token, key.bytes, {
                    algorithms: ["HS256"],
                    issuer: options.issuer,
                    audience: options.audience,
                    requiredClaims: ["exp", "sub", "iss", "aud"],
                }));
            } catch (error) {
                throw rejection(error);
            }
            return { kind: "jwt", subject: payload.sub!, groups: [...new Set([...stringList(payload.groups), ...stringList(payload["cognito:groups"])])] };
        },
    };
}

/**
 * Fetches a value once per container: later calls reuse it. A failed fetch is not cached, so the
 * next invocation tries again (this one is denied).
 */
export function once<T>(fetch: () => Promise<T>): () => Promise<T> {
    let pending: Promise<T> | undefined;
    return () => {
        if (!pending) {
            pending = fetch().catch((error) => {
                pending = undefined;
                throw error;
            });
        }
        return pending;
    };
}
