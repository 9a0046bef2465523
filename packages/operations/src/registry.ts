import type { Operation } from '@remodel/runtime';

/** Every operation remodel ships, in documentation order. Each op's `name` is its folder name. */
export const operations: Operation<any>[] = [
];

/** Operations by name, as the runtime expects them. */
export const registry: ReadonlyMap<string, Operation<any>> = new Map(operations.map((op) => [op.name, op]));
