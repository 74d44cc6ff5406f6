/**
 * Runs `batch` (which handles at most `size` rows and says how many it handled) until one
 * handles fewer than `size`: nothing more was waiting. Resolves with the total handled.
 */
export async function inBatches(
  size: number,
  batch: (size: number) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await batch(size);
    total += handled;
    if (handled < size) return total;
  }
}
