/** The reconcile script's rendering (the behaviour against a real server: tests/spire/reconcile.test.ts). */
import { describe, expect, it } from "vitest";
import { expectedEntryLines, renderReconcileScript, shellQuote } from "../../../provider/src/zeroTrustIdentity/reconcile";
import { workloadEntries } from "../../../provider/src/zeroTrustIdentity/settings";
import { ENROLMENT_TAG, SEED_004_WORKLOADS } from "./helpers";

const entries = workloadEntries({ stage: "dev", trustDomain: "unkey.cloud", workloads: SEED_004_WORKLOADS }, ENROLMENT_TAG)!.entries;
const options = { spireServer: "/opt/spire/bin/spire-server", socketPath: "/tmp/spire-server/private/api.sock", stayRunning: true };

describe("entries reconcile script", () => {
    it("declares exactly the entry IDs of the declared set and only ever touches rampart.-prefixed IDs", () => {
        const script = renderReconcileScript(entries, options);
        expect(script).toContain(`DECLARED='rampart.node.agents-all\nrampart.workload.metald\nrampart.workload.billaged\nrampart.workload.builderd\nrampart.workload.assetmanagerd'`);
        expect(script).toContain(`grep -o '"id": *"rampart\\.[A-Za-z0-9._-]*"'`);
        expect(script.startsWith("# rampart: reconcile")).toBe(true);
        // Stays up as an essential container, exits 1 after its attempts.
        expect(script).toContain("while :; do sleep 3600 & wait $! || true; done");
        expect(script).toContain("exit 1");
        expect(renderReconcileScript(entries, { ...options, stayRunning: false })).not.toContain("sleep 3600");
    });

    it("expects what `entry show` prints for an entry (label column of 17)", () => {
        expect(expectedEntryLines({ ...entries[1], dns_names: ["m.internal"] })).toEqual([
            "SPIFFE ID        : spiffe://unkey.cloud/service/metald",
            "Parent ID        : spiffe://unkey.cloud/agents/all",
            "X509-SVID TTL    : 3600",
            "JWT-SVID TTL     : default",
            "Selector         : unix:path:/usr/bin/metald",
            "Selector         : systemd:id:metald.service",
            "DNS name         : m.internal",
        ]);
        expect(expectedEntryLines(entries[0])).toContain("X509-SVID TTL    : default");
    });

    it("quotes values for sh, and refuses IDs it does not own, duplicates and control characters", () => {
        expect(shellQuote("it's")).toBe(`'it'\\''s'`);
        expect(() => renderReconcileScript([{ ...entries[1], entry_id: "user-entry" }], options)).toThrow(/not a rampart entry ID/);
        expect(() => renderReconcileScript([{ ...entries[1], entry_id: "rampart.a:b" }], options)).toThrow(/not a rampart entry ID/);
        expect(() => renderReconcileScript([entries[1], entries[1]], options)).toThrow(/duplicate entry IDs/);
        expect(() => renderReconcileScript([{ ...entries[1], selectors: [{ type: "unix", value: "path:/a\nEntry ID : rampart.x" }] }], options)).toThrow(/control characters/);
    });
});
