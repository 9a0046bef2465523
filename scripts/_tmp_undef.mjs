import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { loadPython, Project } from '../packages/python/dist/index.js';
const root='/work/venom/b2400a1a';
const paths = execSync(`cd ${root} && find venom_core venom_spore tests -name '*.py'`).toString().trim().split('\n');
await loadPython();
const p = new Project(paths.map(path=>({path, text: readFileSync(root+'/'+path,'utf8')})));
const counts = new Map();
for (const path of p.files.keys()) for (const u of p.scopes(path).undefinedNames()) { console.log(path, u.node.startPosition.row+1, u.name); }
const kinds = {};
for (const path of p.files.keys()) for (const b of p.index(path).imports) { const r=p.resolveImport(path,b); kinds[r.kind]=(kinds[r.kind]??0)+1; if (r.kind==='missing') console.log('MISSING', path, b.line, r.module, r.name); }
console.log(kinds);
console.log([...p.files.values()].filter(f=>!f.module).map(f=>f.path));
