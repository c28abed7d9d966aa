/**
 * The replacement guard through the real engine and the stand-in (provider/src/shared/replacementGuard.ts): on a
 * running ServicePlatform, a change that would replace the RDS instance or the ECR repository is refused by
 * `preview` and by `up` with one error naming the argument, and the stack stays as it was; with the opt-in, the
 * change goes through. One small stack (one service, a database), few steps.
 */
import { secondWeek } from "./secondWeek";

const KMS = "arn:aws:kms:us-east-1:123456789012:key/0f6c2a52-5b8e-4f0e-9a57-1d3c3f1d2e10";

secondWeek(
    "ServicePlatform",
    "guard",
    {
        stage: "dev",
        services: [{ name: "api", cpu: 256, memory: 512, useDatabase: true }],
        database: {},
    },
    [
        {
            name: "rename the database",
            apply: (a) => (a.database.databaseName = "registry"),
            refusedBecause: /database\.databaseName: got "registry"; the RDS instance "guard-dev" has the database name "app", fixed when it was created; .*lose its databases.*set database\.allowReplacement to true/,
        },
        {
            name: "add kmsKeyArn",
            apply: (a) => (a.kmsKeyArn = KMS),
            refusedBecause: new RegExp(
                `kmsKeyArn: asks for KMS encryption with the key "${KMS}"; the ECR repository "guard-dev-api" has AES-256 encryption \\(no KMS key\\).*set allowRepositoryReplacement to true` +
                    `[\\s\\S]*kmsKeyArn: got "${KMS}"; the RDS instance "guard-dev" has its storage encrypted with the KMS key "arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]+".*set database\\.allowReplacement to true`,
            ),
        },
        {
            name: "rename the database with database.allowReplacement",
            apply: (a) => Object.assign(a.database, { databaseName: "registry", allowReplacement: true }),
            asksFor: [/^guard-db$/],
        },
    ],
);
