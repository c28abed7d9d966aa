/**
 * A small interpreter of Amazon States Language definitions, for tests: it walks the states a definition runs and
 * returns the AWS API calls its Task states make through the AWS SDK service integrations
 * (`arn:<partition>:states:::aws-sdk:<service>:<action>`, parameters named as in the service's API:
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html). Implemented: Task (aws-sdk
 * integrations, static `Parameters`), Parallel (every branch runs:
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html), Pass, Succeed, `Next`/`End`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html). Anything else
 * (Choice, Map, Wait, paths with `.$`, other resources) throws rather than being guessed.
 */

export interface SdkCall {
    /** Service as the integration names it, e.g. `ecs`, `apprunner`. */
    service: string;
    /** The API action in AWS's casing, e.g. `UpdateService` (the integration writes it camelCase: `updateService`). */
    action: string;
    /** The IAM action the call needs, `<service>:<Action>` (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ). */
    iamAction: string;
    parameters: Record<string, unknown>;
    /** The state that made the call. */
    state: string;
}

const SDK_RESOURCE = /^arn:(aws|aws-cn|aws-us-gov):states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/;

export function sdkCalls(definition: any): SdkCall[] {
    const calls: SdkCall[] = [];
    run(definition, calls, 0);
    return calls;
}

function run(machine: any, calls: SdkCall[], depth: number): void {
    if (depth > 10) throw new Error("nesting too deep");
    const states = machine?.States;
    if (!states || typeof machine.StartAt !== "string") throw new Error("a state machine has StartAt and States");
    let name: string | undefined = machine.StartAt;
    const seen = new Set<string>();
    while (name !== undefined) {
        if (seen.has(name)) throw new Error(`state ${name} runs twice: loops are not interpreted`);
        seen.add(name);
        const state = states[name];
        if (!state) throw new Error(`state ${name} is not defined`);
        switch (state.Type) {
            case "Task": {
                const m = SDK_RESOURCE.exec(String(state.Resource));
                if (!m) throw new Error(`state ${name}: resource ${state.Resource} is not an AWS SDK integration`);
                const parameters = state.Parameters ?? {};
                if (JSON.stringify(parameters).includes('.$"')) throw new Error(`state ${name}: paths in Parameters are not interpreted`);
                const action = m[3].charAt(0).toUpperCase() + m[3].slice(1);
                calls.push({ service: m[2], action, iamAction: `${m[2]}:${action}`, parameters, state: name });
                break;
            }
            case "Parallel":
                for (const branch of state.Branches ?? []) run(branch, calls, depth + 1);
                break;
            case "Pass":
            case "Succeed":
                break;
            default:
                throw new Error(`state ${name}: type ${state.Type} is not interpreted`);
        }
        if (state.Type === "Succeed" || state.End === true) name = undefined;
        else if (typeof state.Next === "string") name = state.Next;
        else throw new Error(`state ${name} has neither Next nor End`);
    }
}
