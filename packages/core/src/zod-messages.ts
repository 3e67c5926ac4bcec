import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

// zod/mini ships without messages; English ones make config and event errors readable.
// Only the English locale is imported: the `z.locales` namespace would bundle every language.
z.config(en());
