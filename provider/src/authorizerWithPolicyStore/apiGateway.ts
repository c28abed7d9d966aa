/**
 * How an API Gateway authorizer must be set up for the authorizer's decisions to stay right when
 * API Gateway caches them. API Gateway keys a cached policy by the TOKEN authorizer's token alone,
 * or by the values of a REQUEST authorizer's identity sources
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 * Each decision allows or denies exactly one method and path, so the key must hold the token, the
 * method and the path: then a cached policy is only ever reused for the request it was made for.
 */

/** The authorizer type the identity sources below are for. */
export const API_GATEWAY_AUTHORIZER_TYPE = "REQUEST";

/** REST API REQUEST authorizer `identitySource` (`context.path` includes the stage: `/<stage>/documents/1`). */
export const REST_API_IDENTITY_SOURCE = "method.request.header.Authorization,context.httpMethod,context.path";

/** HTTP API REQUEST authorizer `identitySources`. */
export const HTTP_API_IDENTITY_SOURCES = ["$request.header.Authorization", "$context.httpMethod", "$context.path"];
