import { onTestFinished } from 'vitest';

/**
 * Counts the turns the event loop gives other work (a charger's frames, the UI) while a long job runs: a
 * setImmediate that re-arms itself runs once per turn. `onTurn` sees the count after each one.
 */
export function countTurns(onTurn?: (turns: number) => void): { readonly turns: number; stop: () => number } {
  let turns = 0;
  let on = true;
  // A test that fails before it stops the counter must not leave it re-arming itself for ever.
  onTestFinished(() => {
    on = false;
  });
  const tick = (): void => {
    if (!on) return;
    turns++;
    onTurn?.(turns);
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop: () => {
      on = false;
      return turns;
    },
  };
}
