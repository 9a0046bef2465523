import { PlanError } from '@remodel/runtime';
import type { SourceModel } from './model.js';
import type { Placement, Target } from './placement.js';

/**
 * Names the aggregator stops binding because the split gave them another single owner (module state rebound
 * through `global`, names assigned or patched from outside), by owner, in source order. Code outside the project
 * (plugins, a REPL, other repositories) may still read them as `<aggregator>.<name>`; the aggregator forwards those
 * reads to the owner with a module `__getattr__` (PEP 562). Imports the aggregator keeps whatever happens (guarded,
 * nested in a top-level `if`, listed in `__all__`, given as `dunderAll`) stay bound there and are not listed.
 * Refuses when the module already binds `__getattr__`: merging two forwarders is left to the user.
 */
export function movedState(source: SourceModel, placement: Placement, dunderAll: string[] | null): Map<Target, string[]> {
  const out = new Map<Target, string[]>();
  const all = new Set(dunderAll ?? []);
  for (const [name, o] of placement.owner) {
    const unit = source.byName.get(name);
    if (unit ? !placement.home.get(unit) : !importDropped(source, name, all)) continue;
    out.set(o, [...(out.get(o) ?? []), name]);
  }
  if (out.size > 0 && source.bound.has('__getattr__')) {
    const names = [...out.values()].flat().join(', ');
    throw new PlanError(
      'module-getattr',
      `split-router: ${source.file.path} already defines a module __getattr__; reads of the moved state (${names}) through ${source.module} would need a second one — merge or remove it first`,
    );
  }
  return out;
}

/**
 * A module `__getattr__` returning the owner's current value for each moved name (never a copy taken at import
 * time), and raising the interpreter's usual `AttributeError` for any other name. `tail` is the text the aggregator
 * ends with; the function follows it after two blank lines.
 */
export function forwarderText(forwarded: Map<Target, string[]>, tail: string): string {
  const trailing = /\n*$/.exec(tail.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, ''))![0].length;
  let out = '\n'.repeat(Math.max(0, 3 - trailing));
  out += 'def __getattr__(name):\n';
  out += `    """Moved names: reads through this module get their owner's current value."""\n`;
  for (const [o, names] of forwarded) {
    const quoted = names.map((n) => `"${n}"`);
    const line = `    if name in {${quoted.join(', ')}}:`;
    out += line.length <= 88 ? `${line}\n` : `    if name in {\n${quoted.map((q) => `        ${q},\n`).join('')}    }:\n`;
    out += `        return getattr(${o.stem}, name)\n`;
  }
  out += '    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")\n';
  return out;
}

/** The aggregator's import of `name` will be dropped (the import planner removes unused, removable bindings). */
function importDropped(source: SourceModel, name: string, all: Set<string>): boolean {
  const bindings = source.imports.get(name);
  if (!bindings || all.has(name)) return false;
  return bindings.every((b) => !b.guarded && (b.typeChecking || b.statement.parent?.type === 'module'));
}
