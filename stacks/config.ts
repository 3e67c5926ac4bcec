import lifecycleConfig from "../lifecycle.config.ts";
import { deploySettings } from "./settings.ts";
import { isProductionStage } from "./stages.ts";

/** The committed app config (validated when lifecycle.config.ts loads). */
export const config = lifecycleConfig;

/** Per-deployment settings from the environment of `sst deploy`; see docs/infrastructure.md. */
export const settings = deploySettings(process.env, config.branding.appUrl);

export const production = isProductionStage($app.stage);
