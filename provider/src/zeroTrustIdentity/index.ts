export * from "./args";
export { ZeroTrustIdentity } from "./zeroTrustIdentity";
