export * from "./iam";
export * from "./logs";
export * from "./naming";
export * from "./profile";
export * from "./scope";
export * from "./tags";
export * from "./validation";
