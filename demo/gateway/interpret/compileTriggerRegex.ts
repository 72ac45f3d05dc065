/** Longer regex triggers are not compiled (they are user input from the dashboard). */
export const MAX_REGEX_TRIGGER_LENGTH = 500;

/**
 * Whether a pattern has a quantified group that itself contains an unbounded quantifier,
 * such as `(a+)+`, `(a*)*` or `(\w+\s?){2,}`: the classic shape of catastrophic
 * backtracking. A cheap, conservative heuristic (it also rejects some harmless patterns).
 */
export function hasNestedQuantifier(pattern: string): boolean {
  // For each open group: whether an unbounded quantifier occurred inside it.
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
    } else if (c === "(") {
      groups.push(false);
    } else if (c === ")") {
      const innerUnbounded = groups.pop() ?? false;
      const quantified = isUnboundedQuantifierAt(pattern, i + 1);
      if (innerUnbounded && quantified) return true;
      if (innerUnbounded || quantified) markUnbounded(groups);
    } else if (isUnboundedQuantifierAt(pattern, i)) {
      markUnbounded(groups);
    }
  }
  return false;
}

function markUnbounded(groups: boolean[]): void {
  if (groups.length > 0) groups[groups.length - 1] = true;
}

/** Whether an unbounded quantifier (`*`, `+`, `{n,}`) starts at `index`. */
function isUnboundedQuantifierAt(pattern: string, index: number): boolean {
  const c = pattern[index];
  if (c === "*" || c === "+") return true;
  return c === "{" && /^\{\d+,\}/.test(pattern.slice(index, index + 12));
}

/**
 * Compiles a regex auto response trigger, case-insensitive. Never throws: an invalid
 * pattern, an over-long one, or one prone to catastrophic backtracking gives `null`
 * and the auto response is skipped.
 */
export function compileTriggerRegex(pattern: string): RegExp | null {
  if (pattern.length === 0 || pattern.length > MAX_REGEX_TRIGGER_LENGTH) return null;
  if (hasNestedQuantifier(pattern)) return null;
  try {
    return new RegExp(pattern, "i");
  } catch {
    return null;
  }
}
