// Text from the input is printed escaped: a name, a value or a file name can hold an ESC sequence
// (which clears the screen or retitles the terminal), a CR or LF (which forges report lines, such as
// "0 errors"), or a bidirectional override (which makes a reviewer read something else than what is
// there, "Trojan Source"). Escaped, they show as what they are, and every line stays one line.

/**
 * C0 and C1 control characters and DEL; the invisible formatting characters that reorder or hide
 * text (zero-width spaces and joiners, left-to-right and right-to-left marks, embeddings,
 * overrides and isolates, the Arabic letter mark, the byte order mark, interlinear annotations);
 * the line and paragraph separators.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** What JSON.stringify leaves raw but a terminal or an editor would still act on. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every unsafe character written as an escape (`\n`, `\x1b`, `\u202e`): one line, inert. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? escapeCode(c.charCodeAt(0)));
}

/** JSON (indented by 2) whose strings have no unsafe character left raw; it parses to the same value. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, undefined, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

function escapeCode(code: number): string {
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
