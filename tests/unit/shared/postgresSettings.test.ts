import { describe, expect, it } from "vitest";
import { parameterGroupFamily, parseBackupWindow, parseMaintenanceWindow, windowProblems } from "../../../provider/src/shared/postgresSettings";

describe("RDS windows and parameters", () => {
    it("reads windows as RDS writes them, across midnight and the end of the week", () => {
        expect(parseBackupWindow("03:00-03:30")).toEqual([180, 210]);
        expect(parseBackupWindow("23:45-00:15")).toEqual([1425, 1455]);
        expect(parseBackupWindow("3:00-3:30")).toBeUndefined();
        expect(parseMaintenanceWindow("Sun:04:00-sun:04:30")).toEqual([240, 270]);
        expect(parseMaintenanceWindow("sat:23:30-sun:00:30")).toEqual([6 * 1440 + 1410, 6 * 1440 + 1470]);
        expect(parseMaintenanceWindow("sun:24:00-sun:24:30")).toBeUndefined();
    });

    it("needs 30 minutes, at most a day of maintenance, and no overlap on any day", () => {
        expect(windowProblems("database", "03:00-03:30", "sun:04:00-sun:04:30")).toEqual([]);
        expect(windowProblems("database", "03:00-03:29", undefined).map((p) => p.path)).toEqual(["database.backupWindow"]);
        expect(windowProblems("database", undefined, "mon:00:00-tue:00:30").map((p) => p.path)).toEqual(["database.maintenanceWindow"]);
        // The daily backup window meets a Wednesday maintenance window, and one that wraps past Saturday midnight.
        expect(windowProblems("database", "04:15-04:45", "wed:04:30-wed:05:00").map((p) => p.given)).toEqual(['got "04:15-04:45" with maintenanceWindow "wed:04:30-wed:05:00"']);
        expect(windowProblems("database", "00:00-00:30", "sat:23:45-sun:00:15")).toHaveLength(1);
        expect(windowProblems("database", "00:30-01:00", "sat:23:45-sun:00:15")).toEqual([]);
    });

    it("takes the family from the major version", () => {
        expect(parameterGroupFamily("17")).toBe("postgres17");
        expect(parameterGroupFamily("16.10")).toBe("postgres16");
    });
});
