/**
 * Stages that hold real users. There the table and the user pool refuse deletion, `sst remove`
 * is refused (`protect`), and stateful resources are retained if they ever leave the app.
 * Pure: sst.config.ts reads it before any platform global exists.
 */
export const productionStages: readonly string[] = ["prod", "production"];

export function isProductionStage(stage: string | undefined): boolean {
  return stage !== undefined && productionStages.includes(stage);
}
