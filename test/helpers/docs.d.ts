/** The text of a file under the repo root, white space collapsed to single spaces. */
export declare function readDoc(relativePath: string): string;
