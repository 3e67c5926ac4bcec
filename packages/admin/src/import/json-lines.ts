/**
 * Line numbers for the elements of one array in a JSON text: the root array (`[]`) or the array
 * under a top-level key (`users`). `JSON.parse` gives values but not positions, so this scans the
 * already-valid text once, skipping strings, and records where each element starts.
 */
export function arrayElementLines(text: string, key?: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let targetDepth = key === undefined ? 1 : -1;
  let expectingValue = false;
  let lastKey = "";
  let stringStart = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\n") line++;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') {
        inString = false;
        lastKey = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (char === " " || char === "\t" || char === "\r" || char === "\n") continue;
    if (depth === targetDepth && expectingValue && char !== "]") {
      lines.push(line);
      expectingValue = false;
    }
    if (char === '"') {
      inString = true;
      stringStart = i;
    } else if (char === "[" || char === "{") {
      depth++;
      if (char === "[" && key !== undefined && depth === 2 && lastKey === key && targetDepth === -1)
        targetDepth = 2;
      if (char === "[" && depth === targetDepth) expectingValue = true;
    } else if (char === "]" || char === "}") {
      depth--;
    } else if (char === "," && depth === targetDepth) {
      expectingValue = true;
    }
  }
  return lines;
}
