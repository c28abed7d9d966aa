import { describe, expect, it } from "vitest";
import { build, KMS_KEY_ARN, Profile, resolve, skregArgs, T } from "./fixtures";

describe("registry", () => {
    it("creates a scanned, immutable, lifecycle-managed repository for each service without an image", async () => {
        const b = await build({ ...skregArgs(), services: [{ name: "api", public: true }, { name: "proxy", image: "public.ecr.aws/nginx/nginx:1.27" }] }, "skreg");
        const repo = b.one(T.ecr);
        expect(repo.name).toBe("skreg-repo-api");
        expect(repo.inputs).toMatchObject({
            name: "skreg-dev-api",
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "AES256" }],
            forceDelete: true,
        });
        expect(repo.options.retainOnDelete, "unset, so the child inherits the user's option").toBeUndefined();
        const lifecycle = b.one(T.ecrLifecycle);
        expect(lifecycle.inputs.repository).toBe("skreg-dev-api");
        expect(JSON.parse(lifecycle.inputs.policy).rules[1].selection.countNumber).toBe(10);
        expect(await resolve(b.platform.repositoryUrls)).toEqual({ api: "123456789012.dkr.ecr.us-east-1.amazonaws.com/skreg-dev-api" });
    });

    it("retains repositories with their images in production and encrypts with the given key", async () => {
        const b = await build({ ...skregArgs(Profile.Production), kmsKeyArn: KMS_KEY_ARN }, "skreg");
        const repos = b.all(T.ecr);
        expect(repos).toHaveLength(2);
        for (const repo of repos) {
            expect(repo.inputs.forceDelete).toBe(false);
            expect(repo.inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS", kmsKey: KMS_KEY_ARN }]);
            expect(repo.options.retainOnDelete).toBe(true);
        }
        expect(JSON.parse(b.one(T.ecrLifecycle, "skreg-repo-api-lifecycle").inputs.policy).rules[1].selection.countNumber).toBe(100);
    });

    it("runs the given tag (or digest) from the created repository", async () => {
        const digest = `sha256:${"b".repeat(64)}`;
        const b = await build({ stage: "dev", services: [{ name: "api", imageTag: "3f2c1ab" }, { name: "job", imageTag: digest }] });
        const image = (service: string) => JSON.parse(b.one(T.taskDefinition, `app-task-${service}`).inputs.containerDefinitions)[0].image;
        expect(image("api")).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/app-dev-api:3f2c1ab");
        expect(image("job")).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/app-dev-job@${digest}`);
    });

    it("exports no repository URLs when every service brings its image", async () => {
        const b = await build({ stage: "dev", services: [{ name: "api", image: "nginx:1.27" }] });
        expect(b.all(T.ecr)).toHaveLength(0);
        expect(b.platform.repositoryUrls).toBeUndefined();
    });
});
