import * as z from "zod/mini";

// zod/mini ships without messages; English ones make config and event errors readable.
z.config(z.locales.en());
