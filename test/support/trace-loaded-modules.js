// Preloaded with `node -r`: when the process exits, writes the path of every CommonJS module it loaded
// to the file named by TRACE_LOADED_MODULES, one per line (see test/cli-startup.e2e.spec.ts).
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.TRACE_LOADED_MODULES, Object.keys(require.cache).join('\n')));
