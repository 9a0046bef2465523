import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The codemods bundled with remodel (`<repo>/codemods`). */
export const BUNDLED_CODEMODS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../codemods');
