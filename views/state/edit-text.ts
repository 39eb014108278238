/** Edit and retry's external editor, as the screen is given it (views/screen/external-editor.ts). */

/** Edit `text` in the operator's editor; resolves null when the editor failed or was quit with an error. */
export type EditText = (text: string) => Promise<string | null>;
