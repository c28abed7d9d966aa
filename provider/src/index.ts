/**
 * rampart: secure-by-default Pulumi components for running services on AWS.
 * This is the package's only entry point: the plugin host and every SDK reach the components through it.
 */
export * from "./authorizerWithPolicyStore";
export { Profile } from "./shared/profile";
export * from "./servicePlatform";
export * from "./zeroTrustIdentity";
