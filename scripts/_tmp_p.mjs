import { loadPython, parsePython } from '../packages/python/dist/index.js';
await loadPython();
const src = process.argv[2];
console.log(parsePython(src).rootNode.toString());
