export * from "./args";
export { ServicePlatform } from "./servicePlatform";
