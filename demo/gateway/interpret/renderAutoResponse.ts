/**
 * Fills an auto response template: `[author]` becomes "you" (the front-page visitor)
 * and `[count]` becomes `count + 1` (this trigger included). Other text is kept as is.
 */
export function renderAutoResponse(response: string, count: number): string {
  return response
    .split("[author]")
    .join("you")
    .split("[count]")
    .join(String(count + 1));
}
