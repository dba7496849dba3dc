/**
 * Splits a long reply at paragraph, then line, then sentence boundaries so
 * each part fits a platform's limit; a citation line is never cut in half.
 */
export function splitMessage(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = "";
  const pieces = text.split(/(?<=\n)/);
  for (const piece of pieces.flatMap((p) => (p.length > max ? p.split(/(?<=[。；！？])/) : [p]))) {
    const chunks =
      piece.length > max ? (piece.match(new RegExp(`[\\s\\S]{1,${max}}`, "g")) ?? []) : [piece];
    for (const chunk of chunks) {
      if (current.length + chunk.length > max && current !== "") {
        parts.push(current.trimEnd());
        current = "";
      }
      current += chunk;
    }
  }
  if (current.trim() !== "") parts.push(current.trimEnd());
  return parts;
}
