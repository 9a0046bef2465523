import type { Check } from './check.js';
import { cyclesCheck } from './cycles.js';
import { importsCheck } from './imports.js';
import { patchTargetsCheck } from './patch-targets.js';
import { routesCheck } from './routes.js';
import { syntaxCheck } from './syntax.js';
import { undefinedNamesCheck } from './undefined-names.js';

export type { Check, CheckInput, Problem } from './check.js';

/** Every verification check, in report order. Add a check by appending it here (one file per check). */
export const checks: Check[] = [
  syntaxCheck,
  undefinedNamesCheck,
  cyclesCheck,
  importsCheck,
  patchTargetsCheck,
  routesCheck,
];
