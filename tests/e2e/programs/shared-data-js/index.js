// Account-level stores shared by per-PR stages (a VPC, a PostgreSQL instance, a Valkey cache) and one stage that gets
// its own database, role and key prefix on them (docs/customising.md, "Shared database and cache").
const aws = require("@pulumi/aws");
const rampart = require("@rampart-iac/pulumi-rampart");

const vpc = new aws.ec2.Vpc("shared", { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
const zones = ["us-east-1a", "us-east-1b"];
const publicSubnets = zones.map((az, i) => new aws.ec2.Subnet(`public-${i}`, { vpcId: vpc.id, cidrBlock: `10.20.${i}.0/24`, availabilityZone: az }));
const privateSubnets = zones.map((az, i) => new aws.ec2.Subnet(`private-${i}`, { vpcId: vpc.id, cidrBlock: `10.20.${10 + i}.0/24`, availabilityZone: az }));
const privateSubnetIds = privateSubnets.map((s) => s.id);

const dbGroup = new aws.ec2.SecurityGroup("shared-db", { name: "shared-previews-db", vpcId: vpc.id, description: "Shared PostgreSQL of the previews" });
const subnetGroup = new aws.rds.SubnetGroup("shared", { name: "shared-previews", subnetIds: privateSubnetIds });
const db = new aws.rds.Instance("shared", {
    identifier: "shared-previews",
    engine: "postgres",
    engineVersion: "17",
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    storageType: "gp3",
    storageEncrypted: true,
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [dbGroup.id],
    username: "app_admin",
    manageMasterUserPassword: true,
    skipFinalSnapshot: true,
});
const cacheGroup = new aws.ec2.SecurityGroup("shared-cache", { name: "shared-previews-cache", vpcId: vpc.id, description: "Shared Valkey of the previews" });
const cache = new aws.elasticache.ServerlessCache("shared", {
    name: "shared-previews",
    engine: "valkey",
    majorEngineVersion: "8",
    securityGroupIds: [cacheGroup.id],
    subnetIds: privateSubnetIds,
});

const adminSecretArn = db.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
const cacheHost = cache.endpoints.apply((endpoints) => endpoints[0].address);
const stage = new rampart.ServicePlatform("web", {
    stage: "pr-1",
    network: { existingVpc: { vpcId: vpc.id, publicSubnetIds: publicSubnets.map((s) => s.id), privateSubnetIds } },
    services: [{ name: "api", useDatabase: true, useCache: true }],
    database: { existing: { host: db.address, adminSecretArn, securityGroupId: dbGroup.id } },
    cache: { existing: { host: cacheHost, securityGroupId: cacheGroup.id } },
});

exports.vpcId = vpc.id;
exports.publicSubnetIds = publicSubnets.map((s) => s.id);
exports.privateSubnetIds = privateSubnetIds;
exports.dbHost = db.address;
exports.dbId = db.id;
exports.adminSecretArn = adminSecretArn;
exports.dbSecurityGroupId = dbGroup.id;
exports.cacheHost = cacheHost;
exports.cacheSecurityGroupId = cacheGroup.id;
exports.databaseSecretArn = stage.databaseSecretArn;
