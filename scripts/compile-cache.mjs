// Loaded by `npm start` (`node --import`) before src/main.ts, in the process and in
// each delivery thread: Node's on-disk compile cache keeps the type-stripped
// JavaScript and V8's code of every module, so from the second start on Node
// neither loads its TypeScript stripper (amaro, ~17 MiB resident) nor
// recompiles (docs/performance.md, "Memory"). It lives in the system's temp
// folder (`NODE_COMPILE_CACHE` chooses another, `NODE_DISABLE_COMPILE_CACHE=1`
// turns it off); entries are keyed by each file's content and Node's version.
import { enableCompileCache } from "node:module";

enableCompileCache();
