import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2, APIGatewayTokenAuthorizerEvent } from "aws-lambda";
import type { MappingConfig } from "./config";

export type AuthorizerEvent = APIGatewayTokenAuthorizerEvent | APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2;

/** The request being authorized, from whichever authorizer event API Gateway sent. */
export interface RequestInfo {
    method: string;
    /** Path of the request, for example `/documents/42`. */
    path: string;
    /** Route template when API Gateway gives one (`/documents/{id}`), else the path. */
    route: string;
    stage: string;
    apiId: string;
    /** ARN the returned policy applies to (`methodArn` or `routeArn`). */
    arn: string;
}

export interface EntityRef {
    type: string;
    id: string;
}

export interface CedarRequest {
    action: EntityRef;
    resource: EntityRef;
}

export class MappingError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MappingError";
    }
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path...>` */
const EXECUTE_API_ARN = /^arn:[a-z-]+:execute-api:[a-z0-9-]+:\d{12}:([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/;

export function parseExecuteApiArn(arn: string): { apiId: string; stage: string; method: string; path: string } | undefined {
    const m = EXECUTE_API_ARN.exec(arn);
    if (!m) return undefined;
    return { apiId: m[1], stage: m[2], method: m[3], path: m[4] ?? "/" };
}

/** Describes the request of a TOKEN, REQUEST (REST API) or REQUEST v2 (HTTP API) authorizer event. */
export function describeRequest(event: AuthorizerEvent): RequestInfo {
    const arn = "methodArn" in event ? event.methodArn : "routeArn" in event ? event.routeArn : undefined;
    if (typeof arn !== "string" || arn === "") throw new MappingError("the event has no methodArn or routeArn");
    const fromArn = parseExecuteApiArn(arn);
    if (!fromArn) throw new MappingError("the event's methodArn/routeArn is not an execute-api ARN");
    if ("version" in event && event.version === "2.0") {
        const v2 = event as APIGatewayRequestAuthorizerEventV2;
        const method = v2.requestContext?.http?.method ?? fromArn.method;
        const path = v2.rawPath ?? fromArn.path;
        const routePath = typeof v2.routeKey === "string" && v2.routeKey.includes(" ") ? v2.routeKey.slice(v2.routeKey.indexOf(" ") + 1) : path;
        return { method: method.toUpperCase(), path, route: routePath, stage: v2.requestContext?.stage ?? fromArn.stage, apiId: v2.requestContext?.apiId ?? fromArn.apiId, arn };
    }
    if (event.type === "REQUEST") {
        const rest = event as APIGatewayRequestAuthorizerEvent;
        const path = rest.path ?? fromArn.path;
        return {
            method: (rest.httpMethod ?? fromArn.method).toUpperCase(),
            path,
            route: rest.resource ?? path,
            stage: rest.requestContext?.stage ?? fromArn.stage,
            apiId: rest.requestContext?.apiId ?? fromArn.apiId,
            arn,
        };
    }
    return { method: fromArn.method.toUpperCase(), path: fromArn.path, route: fromArn.path, stage: fromArn.stage, apiId: fromArn.apiId, arn };
}

const PLACEHOLDER = /\{(method|path|route|stage|apiId)\}/g;

/** Fills `{method}`, `{path}`, `{route}`, `{stage}` and `{apiId}` in one pass (values are never re-scanned). */
export function renderTemplate(template: string, request: RequestInfo): string {
    return template.replace(PLACEHOLDER, (_, key: keyof RequestInfo) => request[key]);
}

/** The Cedar action and resource of a request. */
export function toCedarRequest(request: RequestInfo, mapping: MappingConfig): CedarRequest {
    const actionId = renderTemplate(mapping.actionIdTemplate, request);
    const resourceId = renderTemplate(mapping.resourceIdTemplate, request);
    if (actionId === "" || resourceId === "") throw new MappingError("the action or resource id is empty");
    return { action: { type: mapping.actionType, id: actionId }, resource: { type: mapping.resourceType, id: resourceId } };
}

/** The bearer token of the request: TOKEN events' authorizationToken, else the Authorization header. */
export function extractToken(event: AuthorizerEvent): string | undefined {
    let raw: string | undefined;
    if ("authorizationToken" in event && typeof event.authorizationToken === "string") {
        raw = event.authorizationToken;
    } else if ("headers" in event && event.headers) {
        const entry = Object.entries(event.headers).find(([k]) => k.toLowerCase() === "authorization");
        raw = entry?.[1] ?? undefined;
    }
    if (typeof raw !== "string") return undefined;
    const token = raw.trim().replace(/^bearer(\s+|$)/i, "").trim();
    return token === "" ? undefined : token;
}
