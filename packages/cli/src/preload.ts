/**
 * Starts loading the Python grammar (web-tree-sitter compiles its WebAssembly off the main thread) while a command
 * is still loading its other modules; `openProject` awaits the same load, and reports its failure if any.
 */
export function preloadPython(): void {
  import('@remodel/python').then((python) => python.loadPython()).catch(() => undefined);
}
