/** How a stage is run: `ephemeral` stages are cheap and destroy cleanly; `production` stages are durable and protected. */
export enum Profile {
    /** Cheap, disposable, destroys without leftovers (per-PR and developer stages). */
    Ephemeral = "ephemeral",
    /** Durable and protected: deletion protection, retained data, redundancy. */
    Production = "production",
}

export function resolveProfile(profile: Profile | undefined): Profile {
    return profile ?? Profile.Ephemeral;
}

/** Picks the profile's default when the user gave no value. */
export function byProfile<T>(profile: Profile, given: T | undefined, defaults: { ephemeral: T; production: T }): T {
    if (given !== undefined) {
        return given;
    }
    return profile === Profile.Production ? defaults.production : defaults.ephemeral;
}
