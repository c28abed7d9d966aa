// Plugin entry point (package.json "main"): the Pulumi language host runs this file when the
// repository or the installed package is used as the `rampart` plugin.
import { readFileSync } from "fs";
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { RampartProvider } from "./provider";

const packageRoot = path.join(__dirname, "..", "..");
const schema = readFileSync(path.join(packageRoot, "schema.json"), "utf8");
const provider = new RampartProvider(schema, () => require("../index"));

export = main(provider, process.argv.slice(2));
