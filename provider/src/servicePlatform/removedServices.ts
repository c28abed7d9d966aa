import * as aws from "@pulumi/aws";
import { ComponentScope } from "../shared/scope";
import { MANAGED_BY } from "../shared/tags";
import { ValidationProblem } from "../shared/validation";
import { Compute } from "./args";
import { PlatformSettings } from "./settings";

/**
 * Data rampart made for services of this platform that the arguments no longer keep: when a service is removed or
 * renamed, or given its own `image`, the next `up` would delete its ECR repository (with every image in it) and, on
 * ECS, its log group (with its logs). The component cannot see its previous arguments, so it asks the account what
 * is there (ECR DescribeRepositories/ListImages, CloudWatch Logs DescribeLogGroups) and refuses such a change at
 * preview unless `allowServiceDataDeletion` is set.
 */
export interface LeftBehind {
    /** Repositories of this platform and stage (by name prefix and the stack's tags) that no service builds from now, with the number of images each holds. */
    repositories: { name: string; images: number }[];
    /** Log groups under this platform's prefix that no service writes to now. */
    logGroups: string[];
}

const DELETE_REPOSITORY = "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html";
const DELETE_LOG_GROUP = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html";

/** The ECR repository name prefix and log group prefix of this platform; a service's own names follow them. */
export function serviceDataPrefixes(scope: Pick<ComponentScope, "physical">): { repository: string; logGroup: string } {
    return { repository: `${scope.physical("ecrRepository")}-`, logGroup: `/rampart/${scope.physical("logGroup")}/` };
}

/** The ECS log group of a service (shared with ecs.ts, so the lookup and the resource agree). */
export function serviceLogGroupName(scope: Pick<ComponentScope, "physical">, service: string): string {
    return `${serviceDataPrefixes(scope).logGroup}${service}`;
}

/** The names the current arguments keep: the repositories of services without an image, the log groups of ECS services. */
export function keptServiceData(scope: Pick<ComponentScope, "physical">, settings: Pick<PlatformSettings, "services" | "compute">): { repositories: Set<string>; logGroups: Set<string> } {
    return {
        repositories: new Set(settings.services.filter((s) => s.createsRepository).map((s) => scope.physical("ecrRepository", s.name))),
        logGroups: new Set(settings.compute !== Compute.AppRunner ? settings.services.map((s) => serviceLogGroupName(scope, s.name)) : []),
    };
}

/**
 * One problem per service whose data would be deleted (pure). The service is named from the repository or log group
 * name; a service that still exists under that name lost its repository to an `image`, so the problem names that
 * argument; otherwise the service was removed or renamed, and the problem names `services`.
 */
export function leftBehindProblems(scope: Pick<ComponentScope, "physical">, settings: Pick<PlatformSettings, "services" | "compute">, found: LeftBehind): ValidationProblem[] {
    const prefixes = serviceDataPrefixes(scope);
    const byService = new Map<string, { repository?: string; logGroup?: string }>();
    const entry = (service: string) => byService.get(service) ?? byService.set(service, {}).get(service)!;
    for (const r of found.repositories) {
        if (r.images === 0) continue; // nothing in it to lose
        entry(r.name.slice(prefixes.repository.length)).repository = `its ECR repository "${r.name}" with ${r.images} image${r.images === 1 ? "" : "s"} (${DELETE_REPOSITORY})`;
    }
    for (const g of found.logGroups) entry(g.slice(prefixes.logGroup.length)).logGroup = `its log group "${g}" with its logs (${DELETE_LOG_GROUP})`;
    const problems: ValidationProblem[] = [];
    const problem = (path: string, given: string, service: string, data: (string | undefined)[], keep: string) =>
        problems.push({
            path,
            given,
            allowed: `this deletes what rampart made for the service "${service}": ${data.filter(Boolean).join(" and ")}. ${keep}, or set allowServiceDataDeletion to true to delete ${data.filter(Boolean).length === 1 ? "it" : "them"}`,
        });
    for (const [service, data] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
        const index = settings.services.findIndex((s) => s.name === service);
        if (index < 0) {
            problem("services", `no service named "${service}" (removed or renamed)`, service, [data.repository, data.logGroup], `Keep the service "${service}"`);
            continue;
        }
        // The service is still there: its repository went with an `image`, its log group with a move off ECS.
        if (data.repository) problem(`services[${index}].image`, `${JSON.stringify(settings.services[index].image)} for the service "${service}"`, service, [data.repository], "Leave the service without `image` (CI pushes to its repository)");
        if (data.logGroup) problem("compute", `${JSON.stringify(settings.compute)}`, service, [data.logGroup], "Keep the services on ECS (compute fargate or expressMode)");
    }
    return problems;
}

/** Whether a repository's tags say this stack's rampart made it for this stage (another stack's is never counted). */
function madeHere(tags: Record<string, string> | undefined, scope: Pick<ComponentScope, "tags" | "stage">): boolean {
    return tags?.ManagedBy === MANAGED_BY && tags.PulumiProject === scope.tags.PulumiProject && tags.PulumiStack === scope.tags.PulumiStack && tags.Stage === scope.stage;
}

/**
 * Asks the account (through the component's provider) for the data `leftBehindProblems` checks. Repositories are
 * matched by this platform's name prefix and confirmed by their tags; log groups by their prefix, which ends in `/`.
 */
export async function findLeftBehind(scope: ComponentScope, settings: PlatformSettings): Promise<LeftBehind> {
    const opts = { parent: scope.component };
    const prefixes = serviceDataPrefixes(scope);
    const kept = keptServiceData(scope, settings);
    const { names = [] } = await aws.ecr.getRepositories({}, opts);
    const repositories: LeftBehind["repositories"] = [];
    for (const name of names.filter((n) => n.startsWith(prefixes.repository) && !kept.repositories.has(n)).sort()) {
        const repository = await aws.ecr.getRepository({ name }, opts);
        if (!madeHere(repository.tags, scope)) continue;
        const { imageIds = [] } = await aws.ecr.getImages({ repositoryName: name }, opts);
        repositories.push({ name, images: imageIds.length });
    }
    const { logGroupNames = [] } = await aws.cloudwatch.getLogGroups({ logGroupNamePrefix: prefixes.logGroup }, opts);
    const logGroups = logGroupNames.filter((g) => !kept.logGroups.has(g)).sort();
    return { repositories, logGroups };
}

/**
 * The error when the account cannot be asked (the deploying role lacks a permission, or the update is stopping for
 * another reason and the engine cancelled the look-up): one line saying what was checked and what it needs, no stack.
 */
export function lookupFailure(component: string, error: unknown): Error {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    return new Error(
        `ServicePlatform "${component}": could not list this platform's ECR repositories and log groups to check that no service's images or logs ` +
            `would be deleted (${reason}). The deploying role needs ecr:DescribeRepositories, ecr:ListImages and logs:DescribeLogGroups; ` +
            "or set allowServiceDataDeletion to true to skip the check",
    );
}
