import { Profile } from "../shared/profile";
import { AWS_REGION_PATTERN, parseArn, Validator } from "../shared/validation";
import { AuthorizerWithPolicyStoreArgs, LambdaArchitecture, MfaMode, TokenSource, ValidationMode } from "./args";

export const COMPONENT = "AuthorizerWithPolicyStore";
export const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SIGN_IN_ALIASES = ["email", "phone_number", "preferred_username"];

export interface AuthorizerValidationContext {
    /** Region the stack deploys to, when known (SES identities must be in the same region). */
    region?: string;
}

/** Checks every AuthorizerWithPolicyStore argument (except Cedar, checked by the policy-store module) and throws one error listing all problems. */
export function validateAuthorizerArgs(name: string, args: AuthorizerWithPolicyStoreArgs, context: AuthorizerValidationContext = {}): void {
    const v = new Validator(COMPONENT, name);
    if (args === undefined || args === null) {
        v.problem("args", args, "an object with at least `stage`, `accountAlias` and `policyStore`");
        v.throwIfInvalid();
    }
    v.stage("stage", args.stage);
    v.accountAlias("accountAlias", args.accountAlias);
    v.oneOf("profile", args.profile, Object.values(Profile));
    v.tags("tags", args.tags);

    const store = args.policyStore;
    if (!store) {
        v.problem("policyStore", store, "a policy store with a Cedar schema and policies");
    } else {
        v.oneOf("policyStore.validationMode", store.validationMode, Object.values(ValidationMode));
        if (store.schema !== undefined && store.schemaFile !== undefined) {
            v.problem("policyStore.schema", "schema and schemaFile", "give schema or schemaFile, not both", "got both schema and schemaFile");
        }
        if ((store.validationMode ?? ValidationMode.Strict) === ValidationMode.Strict && store.schema === undefined && store.schemaFile === undefined) {
            v.problem("policyStore.schema", undefined, "strict validation needs a Cedar schema: give schema or schemaFile, or set validationMode off");
        }
        v.unique("policyStore.policies", (store.policies ?? []).map((p) => p?.id), "policy id");
        v.unique("policyStore.templates", (store.templates ?? []).map((p) => p?.id), "template id");
        (store.policies ?? []).forEach((p, i) => {
            v.pattern(`policyStore.policies[${i}].id`, p.id, /^[A-Za-z0-9_-]{1,64}$/, "letters, digits, hyphens and underscores, 1-64 characters");
            v.required(`policyStore.policies[${i}].statement`, p.statement, "a Cedar policy statement");
        });
        (store.templates ?? []).forEach((p, i) => {
            v.pattern(`policyStore.templates[${i}].id`, p.id, /^[A-Za-z0-9_-]{1,64}$/, "letters, digits, hyphens and underscores, 1-64 characters");
            v.required(`policyStore.templates[${i}].statement`, p.statement, "a Cedar policy template");
        });
    }

    const cognito = args.cognito;
    if (cognito) {
        v.oneOf("cognito.mfa", cognito.mfa, Object.values(MfaMode));
        (cognito.signInAliases ?? []).forEach((alias, i) => v.oneOf(`cognito.signInAliases[${i}]`, alias, SIGN_IN_ALIASES));
        if (cognito.domainPrefix !== undefined) {
            v.pattern("cognito.domainPrefix", cognito.domainPrefix, DOMAIN_PREFIX, "lowercase letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen");
            if (/aws|amazon|cognito/.test(cognito.domainPrefix)) {
                v.problem("cognito.domainPrefix", cognito.domainPrefix, "Cognito refuses prefixes containing aws, amazon or cognito");
            }
        }
        const ses = cognito.sesConfig;
        if (ses) {
            const arn = typeof ses.sourceArn === "string" ? parseArn(ses.sourceArn) : undefined;
            if (!arn || arn.service !== "ses" || !arn.resource.startsWith("identity/")) {
                v.problem("cognito.sesConfig.sourceArn", ses.sourceArn, "an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>)");
            } else if (context.region && arn.region !== context.region) {
                v.problem("cognito.sesConfig.sourceArn", ses.sourceArn, `an SES identity in the stack's region ${context.region} (Cognito sends only through SES in its own region)`);
            }
            v.pattern("cognito.sesConfig.fromEmail", ses.fromEmail, EMAIL, "an e-mail address");
            v.pattern("cognito.sesConfig.replyToEmail", ses.replyToEmail, EMAIL, "an e-mail address");
        }
        v.unique("cognito.groups", cognito.groups ?? [], "group name");
    }
    if (context.region !== undefined && !AWS_REGION_PATTERN.test(context.region)) {
        v.problem("aws:region", context.region, "an AWS region id such as us-east-1");
    }

    const auth = args.authorizer ?? {};
    v.oneOf("authorizer.tokenSource", auth.tokenSource, Object.values(TokenSource));
    v.oneOf("authorizer.architecture", auth.architecture, Object.values(LambdaArchitecture));
    v.integerInRange("authorizer.memorySize", auth.memorySize, 128, 10240);
    v.integerInRange("authorizer.timeoutSeconds", auth.timeoutSeconds, 1, 30);
    v.integerInRange("authorizer.reservedConcurrency", auth.reservedConcurrency, 0, 1000);
    v.integerInRange("authorizer.provisionedConcurrency", auth.provisionedConcurrency, 0, 1000);
    v.integerInRange("authorizer.cacheTtlSeconds", auth.cacheTtlSeconds, 0, 3600);
    v.integerInRange("authorizer.logRetentionDays", auth.logRetentionDays, 1, 3653);
    const reserved = auth.reservedConcurrency ?? 1;
    const provisioned = auth.provisionedConcurrency ?? 0;
    if (provisioned > 0 && reserved < provisioned) {
        v.problem("authorizer.reservedConcurrency", reserved, `at least authorizer.provisionedConcurrency (${provisioned})`);
    }
    const tokenSource = auth.tokenSource ?? TokenSource.IdentitySource;
    const profile = args.profile ?? Profile.Ephemeral;
    const cognitoEnabled = cognito?.enabled ?? profile === Profile.Ephemeral;
    if (tokenSource === TokenSource.IdentitySource && !cognitoEnabled) {
        v.problem("authorizer.tokenSource", tokenSource, "identitySource needs the Cognito identity source: enable cognito, or use tokenSource jwtSecret");
    }
    v.pattern("table.ttlAttribute", args.table?.ttlAttribute, /^[A-Za-z0-9_.-]{1,255}$/, "a DynamoDB attribute name");
    v.throwIfInvalid();
}
