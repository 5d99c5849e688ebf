/**
 * What a text value sent to a REST API may contain. Refused everywhere:
 * - control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F); in a single-line field also the
 *   Unicode line and paragraph separators (U+2028, U+2029). A multi-line field (a description, an OpenAPI
 *   document) may contain tab, line feed and carriage return, and the two separators.
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what a reader
 *   sees (Trojan Source, CVE-2021-42574), so `invoice\u202Efdp.exe` shows as `invoiceexe.pdf`.
 * - lone surrogates (a UTF-16 half without its pair): not a character, and not encodable as UTF-8, so a store
 *   would keep a replacement or an invalid byte sequence.
 *
 * Allowed on purpose: the implicit direction marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which right-to-left
 * text needs to display numbers and punctuation correctly and which cannot reorder text around them; zero-width
 * joiners (emoji sequences, Indic scripts); every other printable character in any script.
 */
export type TextProblem = 'control characters' | 'bidirectional control characters' | 'lone surrogates';

// eslint-disable-next-line no-control-regex
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
// With the u flag a well-formed pair is one code point, so only an unpaired half matches.
const LONE_SURROGATE = /\p{Cs}/u;
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * The first rule `value` breaks, or null when it is acceptable text.
 * @example textProblem('a\u0000b', false) === 'control characters'; textProblem('a\nb', true) === null
 */
export function textProblem(value: string, multiline: boolean): TextProblem | null {
  // One scan for the common case: plain text has none of the suspect code units.
  if (!SUSPECT.test(value)) return null;
  if ((multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value)) return 'control characters';
  if (BIDI_CONTROL.test(value)) return 'bidirectional control characters';
  if (LONE_SURROGATE.test(value)) return 'lone surrogates';
  return null;
}
