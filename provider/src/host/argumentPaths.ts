// Argument paths as errors print them (`services[0].public`, `environment["MY-VAR"]`), read back into steps, so the
// host can leave out the values the type check refused when it asks the component for the rest of its problems.

/** The steps of an argument path: property names and list indexes. */
export function pathSteps(path: string): (string | number)[] {
    const steps: (string | number)[] = [];
    const step = /([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
    for (const m of path.matchAll(step)) {
        if (m[1] !== undefined) steps.push(m[1]);
        else if (m[2] !== undefined) steps.push(Number(m[2]));
        else steps.push(JSON.parse(m[3]) as string);
    }
    return steps;
}

/** A copy of the arguments without the values at these paths (Outputs and other values inside are shared, not copied). */
export function withoutPaths(inputs: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
    const copy = copyContainers(inputs) as Record<string, unknown>;
    for (const path of paths) {
        const steps = pathSteps(path);
        let at: unknown = copy;
        for (const s of steps.slice(0, -1)) at = isContainer(at) ? (at as Record<string | number, unknown>)[s] : undefined;
        const last = steps[steps.length - 1];
        if (Array.isArray(at) && typeof last === "number") at[last] = undefined;
        else if (isContainer(at) && last !== undefined) delete (at as Record<string, unknown>)[String(last)];
    }
    return copy;
}

/** Whether two paths are the same argument or one lies inside the other (`services[0]` and `services[0].cpu`). */
export function overlaps(a: string, b: string): boolean {
    const [x, y] = [pathSteps(a), pathSteps(b)];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
    return true;
}

function isContainer(value: unknown): boolean {
    return typeof value === "object" && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);
}

function copyContainers(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(copyContainers);
    if (isContainer(value)) return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, copyContainers(v)]));
    return value;
}
