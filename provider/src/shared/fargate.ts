/** CPU units Fargate accepts, each with the memory sizes (MiB) it allows (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size). */
export const FARGATE_TASK_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, range(2048, 8192, 1024)],
    [2048, range(4096, 16384, 1024)],
    [4096, range(8192, 30720, 1024)],
    [8192, range(16384, 61440, 4096)],
    [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
    return FARGATE_TASK_SIZES.get(cpu)?.includes(memory) ?? false;
}

export function describeFargateMemory(cpu: number): string {
    const allowed = FARGATE_TASK_SIZES.get(cpu);
    if (!allowed) return `cpu must be one of ${[...FARGATE_TASK_SIZES.keys()].join(", ")}`;
    const shown = allowed.length > 6 ? `${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${allowed[1] - allowed[0]}` : allowed.join(", ");
    return `with cpu ${cpu}, memory must be one of ${shown} MiB`;
}
