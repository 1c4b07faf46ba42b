export function minimumOf(range: string | undefined): [number, number, number] | undefined;
export function nodeRequirement(range: string | undefined, version?: string): string | undefined;
export function enginesNode(file: string): string | undefined;
