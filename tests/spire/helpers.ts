/** What the SPIRE suites share: a process's whole output, and a free loopback port. */
import type { SpawnSyncReturns } from "node:child_process";
import { createServer } from "node:net";

export const output = (r: SpawnSyncReturns<string>) => `${r.stdout ?? ""}${r.stderr ?? ""}`;

export async function freePort(): Promise<number> {
    return new Promise((res, rej) => {
        const server = createServer();
        server.once("error", rej);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as { port: number };
            server.close(() => res(port));
        });
    });
}
