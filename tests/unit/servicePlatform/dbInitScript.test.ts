/**
 * The init container's script (database.existing) against a real PostgreSQL server, when this machine has one
 * (`initdb`, `pg_ctl` and `psql` on PATH; skipped otherwise). The admin is a non-superuser with CREATEROLE and
 * CREATEDB, as an RDS master user is (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html).
 * TLS is off locally (PGSSLMODE=disable here; the container uses require).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DB_INIT_SCRIPT } from "../../../provider/src/servicePlatform/containers";

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const available = ["initdb", "pg_ctl", "psql"].every(has) && (process.getuid?.() !== 0 || has("runuser"));
const asServer = (command: string[]) => (process.getuid?.() === 0 ? ["runuser", "-u", "nobody", "--", ...command] : command);

async function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const server = createServer();
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as { port: number }).port;
            server.close(() => resolve(port));
        });
    });
}

describe.skipIf(!available)("the db-init script against PostgreSQL", () => {
    let dir = "";
    let port = 0;
    const run = (command: string[], env: NodeJS.ProcessEnv = {}) => {
        const [cmd, ...args] = asServer(command);
        return spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env } });
    };
    const psql = (user: string, password: string, database: string, sql: string) =>
        spawnSync("psql", ["-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-c", sql], {
            encoding: "utf8",
            env: { ...process.env, PGPASSWORD: password, PGSSLMODE: "disable" },
        });
    const init = (stageDb: string, stagePassword: string, adminPassword = "admin-pw") =>
        spawnSync("sh", ["-c", DB_INIT_SCRIPT], {
            encoding: "utf8",
            env: { ...process.env, PGHOST: "127.0.0.1", PGPORT: String(port), PGDATABASE: "postgres", PGSSLMODE: "disable", PGCONNECT_TIMEOUT: "10", STAGE_DB: stageDb, ADMIN_USER: "app_admin", ADMIN_PASSWORD: adminPassword, STAGE_PASSWORD: stagePassword },
        });

    beforeAll(async () => {
        dir = mkdtempSync(join(tmpdir(), "rampart-dbinit-"));
        chmodSync(dir, 0o777);
        port = await freePort();
        writeFileSync(join(dir, "pw"), "super-pw\n");
        chmodSync(join(dir, "pw"), 0o644);
        const initdb = run(["initdb", "-D", join(dir, "data"), "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${join(dir, "pw")}`]);
        expect(initdb.status, initdb.stderr).toBe(0);
        const start = run(["pg_ctl", "-D", join(dir, "data"), "-w", "-l", join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "start"]);
        expect(start.status, start.stderr).toBe(0);
        const admin = psql("postgres", "super-pw", "postgres", "CREATE ROLE app_admin LOGIN CREATEROLE CREATEDB PASSWORD 'admin-pw'");
        expect(admin.status, admin.stderr).toBe(0);
    }, 60_000);

    afterAll(() => {
        if (dir) {
            run(["pg_ctl", "-D", join(dir, "data"), "-m", "immediate", "stop"]);
            rmSync(dir, { recursive: true, force: true });
        }
    });

    it("creates the stage's role and database, then finds them ready without the admin", () => {
        const first = init("web_pr_1", "pw-one");
        expect(first.status, first.stderr).toBe(0);
        expect(first.stdout).toContain("database web_pr_1 created or repaired");
        expect(psql("web_pr_1", "pw-one", "web_pr_1", "SELECT current_user || '@' || current_database()").stdout.trim()).toBe("web_pr_1@web_pr_1");
        expect(psql("postgres", "super-pw", "postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'web_pr_1'").stdout.trim()).toBe("web_pr_1");
        const again = init("web_pr_1", "pw-one", "wrong-admin-pw");
        expect(again.status, again.stderr).toBe(0);
        expect(again.stdout).toContain("database web_pr_1 ready");
    });

    it("keeps stages apart: another stage's role cannot connect to this stage's database", () => {
        expect(init("web_pr_2", "pw-two").status).toBe(0);
        const crossed = psql("web_pr_2", "pw-two", "web_pr_1", "SELECT 1");
        expect(crossed.status).not.toBe(0);
        expect(crossed.stderr).toContain('permission denied for database "web_pr_1"');
    });

    it("sets the role's password to the stage's secret when they differ (a re-created stage's secret)", () => {
        const healed = init("web_pr_1", "pw-new");
        expect(healed.status, healed.stderr).toBe(0);
        expect(psql("web_pr_1", "pw-new", "web_pr_1", "SELECT 1").stdout.trim()).toBe("1");
        expect(psql("web_pr_1", "pw-one", "web_pr_1", "SELECT 1").status).not.toBe(0);
    });

    it("exits non-zero when the admin cannot log in, so the service's container does not start", () => {
        const failed = init("web_pr_3", "pw-three", "wrong-admin-pw");
        expect(failed.status).not.toBe(0);
        expect(psql("postgres", "super-pw", "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'web_pr_3'").stdout.trim()).toBe("0");
    });

    it("treats names and passwords as data, never as SQL", () => {
        const quoted = init("web_pr_4", "it's; DROP DATABASE web_pr_1; --");
        expect(quoted.status, quoted.stderr).toBe(0);
        expect(psql("web_pr_4", "it's; DROP DATABASE web_pr_1; --", "web_pr_4", "SELECT 1").stdout.trim()).toBe("1");
        expect(psql("postgres", "super-pw", "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'web_pr_1'").stdout.trim()).toBe("1");
    });
});
