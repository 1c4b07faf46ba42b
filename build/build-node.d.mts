import type { BuildOptions } from 'esbuild';

/** The esbuild options of one bundle, by entry point (see build-node.mjs). */
export declare function optionsFor(entry: string): BuildOptions;
