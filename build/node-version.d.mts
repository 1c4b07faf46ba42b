export function minimumOf(range: string): [number, number, number] | undefined;
export function nodeRequirement(range: string, version?: string): string | undefined;
export function enginesNode(file: string): string;
