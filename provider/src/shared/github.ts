/**
 * GitHub Actions OIDC subjects, the `sub` claim a trust policy compares: what a repository, branch,
 * environment or exact subject may hold, checked before any resource exists. Both ServicePlatform's CI
 * role and ZeroTrustIdentity's GitHub roles use these rules.
 *
 * Sources:
 * - sub claim formats: https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 * - branch names (git ref rules): https://git-scm.com/docs/git-check-ref-format
 * - environment names (at most 255 characters): https://docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/manage-environments#creating-an-environment
 * - IAM condition wildcards (`*` and `?` in StringLike): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 */

import { IamPolicyError, PolicyDocument, policyDocument, PolicyStatement } from "./iam";
import { GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_ISSUER_HOST } from "./oidcProvider";

/** `owner/repo`: GitHub's owner and repository name characters, no wildcards. */
export const GITHUB_REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Whether `*` is accepted, and the argument that opts in to it (named in the error), if the component has one. */
export interface WildcardPolicy {
    allowed: boolean;
    optIn?: string;
}

function optInHint(wildcards: WildcardPolicy): string {
    return wildcards.optIn ? `, or set ${wildcards.optIn}` : "";
}

const GIT_REF_FORBIDDEN = /[\x00-\x20\x7f~^:?[\\]/;
const ENVIRONMENT_FORBIDDEN = /[\x00-\x1f\x7f:?]/;

/** What is wrong with a branch name as GitHub puts it in `ref:refs/heads/<branch>`, or undefined. */
export function githubBranchProblem(branch: unknown, wildcards: WildcardPolicy): string | undefined {
    if (typeof branch !== "string" || branch.length === 0) return "a branch name such as main";
    if (GIT_REF_FORBIDDEN.test(branch)) return "a git branch name: no spaces, control characters or any of ~ ^ : ? [ \\";
    if (branch.includes("*") && !wildcards.allowed) return `a branch name without wildcards${optInHint(wildcards)}`;
    if (branch.includes("..") || branch.includes("@{") || branch === "@") return "a git branch name: no .., no @{ and not @ alone";
    if (branch.startsWith("/") || branch.endsWith("/") || branch.includes("//")) return "a git branch name: no leading, trailing or doubled /";
    if (branch.endsWith(".") || branch.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"))) {
        return "a git branch name: no part starting with . or ending with .lock, and no trailing .";
    }
    return undefined;
}

/** What is wrong with a deployment environment name as GitHub puts it in `environment:<name>`, or undefined. */
export function githubEnvironmentProblem(environment: unknown, wildcards: WildcardPolicy): string | undefined {
    if (typeof environment !== "string" || environment.trim().length === 0) return "an environment name such as production";
    if (environment.length > 255) return "a GitHub environment name of at most 255 characters";
    if (ENVIRONMENT_FORBIDDEN.test(environment)) return "an environment name without : or ? or control characters (they would change what the sub claim matches)";
    if (environment.includes("*") && !wildcards.allowed) return `an environment name without wildcards${optInHint(wildcards)}`;
    return undefined;
}

/**
 * What is wrong with an exact `sub` claim for `repository`, or undefined: it must name that
 * repository (`repo:<owner/repo>:<context>`), so no other repository's workflows match it.
 */
export function githubSubjectProblem(subject: unknown, repository: unknown, wildcards: WildcardPolicy): string | undefined {
    const example = `repo:${typeof repository === "string" && repository ? repository : "org/repo"}:ref:refs/heads/main`;
    if (typeof subject !== "string" || !subject.startsWith("repo:")) return `a GitHub OIDC subject such as ${example}`;
    if (typeof repository === "string" && GITHUB_REPOSITORY_PATTERN.test(repository) && !subject.startsWith(`repo:${repository}:`)) {
        return `a subject of the repository ${repository} (repo:${repository}:...): a subject naming another repository would let its workflows in`;
    }
    if (/[\x00-\x1f\x7f?]/.test(subject)) return `a GitHub OIDC subject without ? or control characters, such as ${example}`;
    if (subject.includes("*") && !wildcards.allowed) return `wildcards let other workflows in: give exact subjects${optInHint(wildcards)}`;
    if (subject.split(":").length < 3 || subject.endsWith(":")) return `a GitHub OIDC subject with a context after the repository, such as ${example}`;
    return undefined;
}

/**
 * Trust policy of a role GitHub Actions assumes: `aud` is always `sts.amazonaws.com`
 * (StringEquals) and `sub` is always constrained. Exact subjects go into StringEquals; wildcard
 * subjects (only where the component allows them) into StringLike in a statement of their own,
 * because conditions in one statement are ANDed. Source:
 * https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
 */
export function githubActionsTrustPolicy(providerArn: string, subjects: { exact: string[]; wildcard: string[] }, who: string): PolicyDocument {
    if (typeof providerArn !== "string" || providerArn.trim() === "" || providerArn.includes("*")) {
        throw new IamPolicyError(`${who}: principal ${JSON.stringify(providerArn)} is not allowed; name each principal (never *)`);
    }
    if (subjects.exact.length + subjects.wildcard.length === 0) throw new IamPolicyError(`${who}: the sub claim must be constrained`);
    const aud = { [`${GITHUB_ACTIONS_ISSUER_HOST}:aud`]: GITHUB_ACTIONS_AUDIENCE };
    const sub = `${GITHUB_ACTIONS_ISSUER_HOST}:sub`;
    const statement = (sid: string, condition: PolicyStatement["Condition"]): PolicyStatement => ({
        Sid: sid,
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: condition,
    });
    const statements: PolicyStatement[] = [];
    if (subjects.exact.length) statements.push(statement("GitHubExactSubjects", { StringEquals: { ...aud, [sub]: subjects.exact } }));
    if (subjects.wildcard.length) statements.push(statement("GitHubWildcardSubjects", { StringEquals: aud, StringLike: { [sub]: subjects.wildcard } }));
    return policyDocument(statements);
}
