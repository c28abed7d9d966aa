/**
 * Reconciliation of SPIRE registration entries to the declared set: a POSIX `sh` script, rendered
 * here from plain values, that the server task's `entries-reconciler` container runs against the
 * server's API socket on every start (so on every deploy that changes the task). Pure; no @pulumi.
 *
 * Ownership: every entry rampart declares gets a fixed entry ID with the prefix `rampart.`
 * (`rampart.node.agents-all` for the node alias, `rampart.workload.<name>` for a workload), set
 * through `entry_id` when it is created (custom entry IDs: letters, digits, `.`, `_`, `-`, at most
 * 255 characters, as SPIRE 1.13 checks them). The script only ever updates or deletes entries
 * whose ID carries the prefix: entries an operator made by hand (SPIRE generates a UUID for them)
 * are left alone. The one exception is adoption: an unowned entry with exactly the SPIFFE ID,
 * parent ID and selectors of a declared entry (for example one the pre-reconciler `entry create`
 * loader made) would make SPIRE refuse the declared one as a "similar entry", so it is deleted and
 * recreated under rampart's ID, with a log line naming it.
 *
 * One pass, in this order:
 *   1. `entry show -output json`: the IDs of the entries rampart owns;
 *   2. `entry delete` each owned entry that is no longer declared;
 *   3. for each declared entry the server holds: `entry show -entryID` and compare what SPIRE
 *      prints (SPIFFE ID, parent, TTLs, selectors, DNS names and every other attribute, sorted)
 *      with what is declared; only if they differ, `entry update -data -` (an unchanged entry keeps
 *      its revision, so agents do not rotate its SVIDs);
 *   4. `entry create -data -` each declared entry the server does not hold.
 * A failed pass is retried (`attempts`, `retryDelaySeconds`: the server may still be settling, or
 * another server of the same datastore reconciles at the same time); when every attempt failed the
 * script exits 1, and because the container is essential ECS stops the task: a server that could
 * not reconcile its entries never serves, the deployment's circuit breaker fails and rolls back,
 * and the stopped task's reason and the container log say why.
 *
 * Sources: SPIRE 1.13 CLI (`spire-server entry create|update|delete|show`, flags `-data`,
 * `-entryID`, `-output json`), https://spiffe.io/docs/latest/deploying/spire_server/#server-cli
 * and https://github.com/spiffe/spire/blob/v1.13.3/doc/spire_server.md; the declarative model
 * follows spire-controller-manager's entry ID prefix
 * (https://github.com/spiffe/spire-controller-manager/blob/main/docs/spire-controller-manager-config.md).
 */
import type { RegistrationEntry } from "./render";

/** Prefix of the entry IDs rampart owns. Entries without it are never changed (see adoption above). */
export const OWNED_ENTRY_ID_PREFIX = "rampart.";
/** SPIRE's limit on a custom entry ID (characters). */
export const ENTRY_ID_MAX_LENGTH = 255;
/** Characters SPIRE accepts in a custom entry ID. */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

export const NODE_ALIAS_ENTRY_ID = `${OWNED_ENTRY_ID_PREFIX}node.agents-all`;
const WORKLOAD_ENTRY_ID_PREFIX = `${OWNED_ENTRY_ID_PREFIX}workload.`;
/** Longest workload name whose entry ID stays within SPIRE's limit. */
export const WORKLOAD_NAME_MAX_LENGTH = ENTRY_ID_MAX_LENGTH - WORKLOAD_ENTRY_ID_PREFIX.length;

/** The entry ID of a declared workload: `rampart.workload.<name>` (the name is validated to fit). */
export function workloadEntryId(name: string): string {
    return `${WORKLOAD_ENTRY_ID_PREFIX}${name}`;
}

/** A declared entry with its ID (what the script creates, compares and updates). */
export type OwnedEntry = RegistrationEntry;

/** The label column of `spire-server entry show` (pretty output): the label padded to 17, then ": ". */
const line = (label: string, value: string | number) => `${label.padEnd(17)}: ${value}`;

/**
 * What `spire-server entry show -entryID <id>` (SPIRE 1.13, pretty output) prints for `entry` once
 * the server holds it, without the `Entry ID` and `Revision` lines and unsorted; the script sorts
 * both sides before comparing. Attributes rampart never sets (admin, downstream, hint, expiry,
 * federatesWith, storeSVID) print lines only when set, so an owned entry someone changed by hand
 * differs and is put back.
 */
export function expectedEntryLines(entry: RegistrationEntry): string[] {
    return [
        line("SPIFFE ID", entry.spiffe_id),
        line("Parent ID", entry.parent_id),
        line("X509-SVID TTL", entry.x509_svid_ttl ? entry.x509_svid_ttl : "default"),
        line("JWT-SVID TTL", "default"),
        ...entry.selectors.map((s) => line("Selector", `${s.type}:${s.value}`)),
        ...(entry.dns_names ?? []).map((d) => line("DNS name", d)),
    ];
}

/** `value` as one single-quoted sh word. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface ReconcileScriptOptions {
    /** Path of the `spire-server` binary. */
    spireServer: string;
    /** The server's API socket. */
    socketPath: string;
    /** Passes before giving up (each a full reconcile). Default 10. */
    attempts?: number;
    /** Seconds between passes. Default 6. */
    retryDelaySeconds?: number;
    /**
     * After a successful pass, keep running (an essential ECS container must not exit, or the task
     * stops) until SIGTERM. False for a one-shot run (tests, manual runs).
     */
    stayRunning: boolean;
}

const HEREDOC_END = "RAMPART_ENTRY_END";

/** The reconcile script (POSIX sh; runs under dash, bash and busybox ash; needs grep, sed, sort). */
export function renderReconcileScript(entries: OwnedEntry[], options: ReconcileScriptOptions): string {
    const ids = entries.map((e) => e.entry_id);
    for (const id of ids) {
        if (!id.startsWith(OWNED_ENTRY_ID_PREFIX) || !ENTRY_ID_PATTERN.test(id) || id.length > ENTRY_ID_MAX_LENGTH) {
            throw new Error(`entry ID ${JSON.stringify(id)} is not a rampart entry ID (${OWNED_ENTRY_ID_PREFIX}..., letters, digits, . _ -, at most ${ENTRY_ID_MAX_LENGTH})`);
        }
    }
    if (new Set(ids).size !== ids.length) throw new Error(`duplicate entry IDs: ${ids.join(", ")}`);
    for (const e of entries) {
        const lines = expectedEntryLines(e);
        if (lines.some((l) => /[\x00-\x1f\x7f]/.test(l) || l === HEREDOC_END)) {
            throw new Error(`entry ${e.entry_id} holds control characters`);
        }
    }
    const attempts = options.attempts ?? 10;
    const delay = options.retryDelaySeconds ?? 6;
    const cases = (fn: (e: OwnedEntry) => string) => entries.map((e) => `        ${e.entry_id}) ${fn(e)} ;;`).join("\n");
    // The JSON `entry create|update -data` reads, one entry per document.
    const json = (e: OwnedEntry) => `printf '%s\\n' ${shellQuote(JSON.stringify({ entries: [e] }))}`;
    const expected = (e: OwnedEntry) => `cat <<'${HEREDOC_END}'\n${expectedEntryLines(e).join("\n")}\n${HEREDOC_END}\n       `;
    // `entry show` filters that find an unowned entry SPIRE would call "similar" to a declared one.
    const similar = (e: OwnedEntry) =>
        [
            "spire show -output json",
            `-spiffeID ${shellQuote(e.spiffe_id)}`,
            `-parentID ${shellQuote(e.parent_id)}`,
            ...e.selectors.map((s) => `-selector ${shellQuote(`${s.type}:${s.value}`)}`),
            "-matchSelectorsOn exact",
        ].join(" ");

    return `# rampart: reconcile SPIRE registration entries to the declared set (${entries.length} entries).
set -eu
SPIRE_SERVER=${shellQuote(options.spireServer)}
SOCKET=${shellQuote(options.socketPath)}
DECLARED=${shellQuote(ids.join("\n"))}

log() { printf 'rampart-reconcile: %s\\n' "$*" >&2; }
spire() { sub=$1; shift; "$SPIRE_SERVER" entry "$sub" -socketPath "$SOCKET" "$@"; }
# Entry IDs with rampart's prefix in \`entry show -output json\` read from stdin.
owned_ids() { grep -o '"id": *"${OWNED_ENTRY_ID_PREFIX.replace(".", "\\.")}[A-Za-z0-9._-]*"' | sed 's/^.*"\\(${OWNED_ENTRY_ID_PREFIX.replace(".", "\\.")}[A-Za-z0-9._-]*\\)"$/\\1/' | LC_ALL=C sort -u; }
# Entry IDs without rampart's prefix in \`entry show -output json\` read from stdin.
unowned_ids() { grep -o '"id": *"[A-Za-z0-9._-]*"' | sed 's/^.*"\\([A-Za-z0-9._-]*\\)"$/\\1/' | grep -v '^${OWNED_ENTRY_ID_PREFIX.replace(".", "\\.")}' || true; }
# What \`entry show\` prints for one entry, without its ID and revision, sorted.
normalize() { grep -v -e '^Found ' -e '^Entry ID ' -e '^Revision ' -e '^$' | LC_ALL=C sort; }
is_declared() { printf '%s\\n' "$DECLARED" | grep -qxF -e "$1"; }

entry_json() {
    case "$1" in
${cases(json)}
        *) return 1 ;;
    esac
}
expected() {
    case "$1" in
${cases(expected)}
        *) return 1 ;;
    esac
}
similar_entries() {
    case "$1" in
${cases(similar)}
        *) return 1 ;;
    esac
}

reconcile() {
    listing=$(spire show -output json) || { log "cannot list the server's entries"; return 1; }
    owned=$(printf '%s' "$listing" | owned_ids)
    created=0; updated=0; deleted=0; unchanged=0
    for id in $owned; do
        if ! is_declared "$id"; then
            log "delete $id (no longer declared)"
            spire delete -entryID "$id" >&2 || return 1
            deleted=$((deleted + 1))
        fi
    done
    for id in $DECLARED; do
        if printf '%s\\n' "$owned" | grep -qxF -e "$id"; then
            actual=$(spire show -entryID "$id" | normalize) || { log "cannot read $id"; return 1; }
            want=$(expected "$id" | normalize)
            if [ "$actual" = "$want" ]; then
                unchanged=$((unchanged + 1))
            else
                log "update $id"
                entry_json "$id" | spire update -data - >&2 || return 1
                updated=$((updated + 1))
            fi
        else
            found=$(similar_entries "$id") || { log "cannot look for entries similar to $id"; return 1; }
            for other in $(printf '%s' "$found" | unowned_ids); do
                log "adopt: delete entry $other (same SPIFFE ID, parent and selectors as $id; recreated as $id)"
                spire delete -entryID "$other" >&2 || return 1
            done
            log "create $id"
            entry_json "$id" | spire create -data - >&2 || return 1
            created=$((created + 1))
        fi
    done
    log "reconciled: $created created, $updated updated, $deleted deleted, $unchanged unchanged"
}

attempt=1
until reconcile; do
    if [ "$attempt" -ge ${attempts} ]; then
        log "FAILED: the registration entries could not be reconciled after ${attempts} attempts"
        exit 1
    fi
    log "attempt $attempt failed; retrying in ${delay}s"
    attempt=$((attempt + 1))
    sleep ${delay}
done
${
    options.stayRunning
        ? `# An essential container: stay up (idle) until the task stops.
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $! || true; done`
        : "exit 0"
}
`;
}
