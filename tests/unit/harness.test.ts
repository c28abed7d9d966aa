import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { record, resolve } from "../utils/harness";

class Sample extends pulumi.ComponentResource {
    readonly bucketArn: pulumi.Output<string>;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Sample", name, {}, opts);
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: `${name}-data` }, { parent: this, retainOnDelete: true });
        new aws.secretsmanager.SecretVersion(`${name}-secret`, { secretId: bucket.id, secretString: pulumi.secret("hunter2") }, { parent: bucket });
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketArn: this.bucketArn });
    }
}

describe("resource recorder", () => {
    it("records type, name, parent, inputs, secret paths and options", async () => {
        const { result, recorder } = await record(() => new Sample("s"));
        const component = recorder.one("test:index:Sample");
        const bucket = recorder.one("aws:s3/bucket:Bucket");
        expect(bucket.parentUrn).toBe(component.urn);
        expect(bucket.inputs.bucket).toBe("s-data");
        expect(bucket.options.retainOnDelete).toBe(true);
        const version = recorder.one("aws:secretsmanager/secretVersion:SecretVersion");
        expect(recorder.children(bucket)).toEqual([version]);
        expect(recorder.descendants(component).map((r) => r.type).sort()).toEqual(["aws:s3/bucket:Bucket", "aws:secretsmanager/secretVersion:SecretVersion"]);
        expect(version.secretPaths).toEqual(["secretString"]);
        expect(version.inputs.secretString).toBe("hunter2");
        expect(await resolve(result.bucketArn)).toBe("arn:aws:s3:us-east-1:123456789012:s3/s-data");
    });

    it("one() names what exists when the query does not match exactly one", async () => {
        const { recorder } = await record(() => new Sample("t"));
        expect(() => recorder.one("aws:s3/bucket:Bucket", "missing")).toThrow(/found 0 .*t-bucket/);
    });
});
