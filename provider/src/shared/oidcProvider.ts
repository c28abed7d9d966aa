import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "./scope";
import { deploymentRefusal, observe } from "./replacementGuard";

/**
 * IAM OIDC identity providers are account-wide singletons: IAM keeps one provider per issuer URL
 * per account, and a second CreateOpenIDConnectProvider for the same URL fails with
 * `EntityAlreadyExists`. Source:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
 *
 * So rampart never creates one unless asked: by default it looks up the account's provider for the
 * issuer URL (IAM ListOpenIDConnectProviders/GetOpenIDConnectProvider, through the
 * `aws.iam.getOpenIdConnectProvider` data source) and reuses it, and any number of stages and
 * components in the account share it. The provider is created once per account, by the one stack
 * that sets the component's `create...` argument (or outside rampart).
 */
export const OIDC_PROVIDER_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html";

/** GitHub Actions' issuer (no scheme, as IAM keys providers and trust-policy conditions). */
export const GITHUB_ACTIONS_ISSUER_HOST = "token.actions.githubusercontent.com";
/** The audience AWS's configure-aws-credentials action requests. */
export const GITHUB_ACTIONS_AUDIENCE = "sts.amazonaws.com";
/** Pulumi Cloud's issuer for Pulumi Deployments and ESC. */
export const PULUMI_ISSUER_HOST = "api.pulumi.com/oidc";

export interface AccountOidcProviderArgs {
    /** The component's type name, for errors (`ServicePlatform`). */
    component: string;
    /** Issuer host and path, without `https://`. */
    issuerHost: string;
    /** The client id (audience) every role trusting the provider requires; the provider must list it. */
    audience: string;
    /** The ARN the user gave, if any: used as given. */
    arn?: pulumi.Input<string>;
    /** The user asked this stack to create the account's provider. */
    create?: boolean;
    /** Argument paths named in errors. */
    argumentPaths: { arn: string; create: string };
}

export interface AccountOidcProvider {
    arn: pulumi.Output<string>;
    /** Set only when this stack creates the account's provider. */
    created?: aws.iam.OpenIdConnectProvider;
}

/** What a user can do when the account has no usable provider. */
function remedy(args: AccountOidcProviderArgs): string {
    return (
        `create the account's provider once: set ${args.argumentPaths.create}: true in one long-lived stack (every other stack and stage then finds it), ` +
        `or pass an existing provider's ARN as ${args.argumentPaths.arn} (${OIDC_PROVIDER_DOC})`
    );
}

/** The problem with a found provider, or undefined: roles need their audience in its client id list. */
export function oidcProviderProblem(args: Pick<AccountOidcProviderArgs, "issuerHost" | "audience">, found: { arn: string; clientIdLists?: string[] }): string | undefined {
    const clients = found.clientIdLists ?? [];
    if (clients.includes(args.audience)) return undefined;
    return `the account's OIDC provider ${found.arn} for https://${args.issuerHost} does not list the client id (audience) "${args.audience}" (it lists ${clients.length ? clients.map((c) => `"${c}"`).join(", ") : "none"}); add "${args.audience}" to its client ids in the stack that manages it (IAM AddClientIDToOpenIDConnectProvider)`;
}

/**
 * The account's OIDC provider for an issuer: the ARN given, the provider this stack creates (only
 * when `create` is set), or the account's existing one, looked up by URL at preview. A missing or
 * unusable provider fails the deployment with one ComponentValidationError naming the arguments.
 */
export function accountOidcProvider(scope: ComponentScope, key: string, args: AccountOidcProviderArgs): AccountOidcProvider {
    if (args.arn !== undefined) return { arn: pulumi.output(args.arn) };
    const url = `https://${args.issuerHost}`;
    const refuse = (path: string, given: string, allowed: string): never => {
        throw deploymentRefusal(args.component, scope.name, [{ path, given, allowed }]);
    };
    const lookup = aws.iam.getOpenIdConnectProvider({ url }, { parent: scope.component });
    // The Outputs below handle a rejection; this keeps Node from warning that it was handled late.
    lookup.catch(() => undefined);
    if (args.create) {
        // An account-wide singleton other stacks trust: kept in AWS when this stack stops managing it (the argument
        // removed, the stack destroyed), so no stage loses access by accident.
        const created = new aws.iam.OpenIdConnectProvider(scope.child(key), { url, clientIdLists: [args.audience], tags: scope.tags }, scope.opts({ retainOnDelete: true }));
        const onlyOne = Promise.all([lookup.then((p) => p.arn, () => undefined), observe(created.arn)]).then(([existing, own]) =>
            existing !== undefined && !(own.known && own.value === existing)
                ? refuse(
                      args.argumentPaths.create,
                      `true, but the account already has an OIDC provider for ${url} (${existing}), and IAM keeps one per URL per account`,
                      `leave ${args.argumentPaths.create} out (this stack then looks the provider up), or pass ${existing} as ${args.argumentPaths.arn} (${OIDC_PROVIDER_DOC})`,
                  )
                : true,
        );
        onlyOne.catch(() => undefined);
        return { arn: pulumi.all([created.arn, pulumi.output(onlyOne)]).apply(([arn]) => arn), created };
    }
    const found = lookup.then(
        (provider) => {
            const problem = oidcProviderProblem(args, provider);
            return problem ? refuse(args.argumentPaths.arn, `nothing was given, and ${problem}`, `the account's provider with that client id, or another provider's ARN`) : provider.arn;
        },
        (err: unknown) => refuse(args.argumentPaths.arn, `nothing was given, and the account has no OIDC provider for ${url} (IAM: ${lookupFailure(err)})`, remedy(args)),
    );
    found.catch(() => undefined);
    return { arn: pulumi.output(found) };
}

function lookupFailure(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const firstLine = text.split("\n").find((l) => l.trim() !== "") ?? text;
    return firstLine.replace(/^(Error: )?invocation of [^ ]+ returned an error: /, "").trim();
}
