export * from "./args";
export { AuthorizerWithPolicyStore } from "./authorizerWithPolicyStore";
