import type { AutoResponse } from "../../../src/protocol";
import { compileTriggerRegex } from "./compileTriggerRegex";

/** Regex triggers are tested against at most this many characters of the message. */
export const MAX_REGEX_INPUT_LENGTH = 2000;

/**
 * Lower-cases a text and turns every run of punctuation, symbols and whitespace into a
 * single space, padded with spaces at both ends, so that a whole-word/phrase match is
 * a substring test: " good bot " is in " what a good bot ".
 */
export function normalizeWords(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim();
  return ` ${words} `;
}

/**
 * Whether a message triggers an auto response:
 * - `naive`: the trigger occurs in the content, case-insensitively;
 * - `punctuated`: the trigger occurs as a whole word or phrase, ignoring punctuation and case;
 * - `regex`: the trigger, a case-insensitive JS regex, matches the first 2,000 characters.
 *
 * Never throws: an empty trigger, or a regex that is invalid or unsafe, matches nothing.
 */
export function matchesAutoResponse(
  autoResponse: Pick<AutoResponse, "trigger" | "mode">,
  content: string,
): boolean {
  const { trigger, mode } = autoResponse;
  switch (mode) {
    case "naive":
      return trigger.length > 0 && content.toLowerCase().includes(trigger.toLowerCase());
    case "punctuated": {
      const phrase = normalizeWords(trigger);
      return phrase.trim().length > 0 && normalizeWords(content).includes(phrase);
    }
    case "regex": {
      const regex = compileTriggerRegex(trigger);
      return regex !== null && regex.test(content.slice(0, MAX_REGEX_INPUT_LENGTH));
    }
    default:
      return false;
  }
}
