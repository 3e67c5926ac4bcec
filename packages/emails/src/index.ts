import { type MessageRenderer, renderDefaultMessage } from "@cognito-lifecycle/core";

/** The renderer the triggers use for every message kind. */
export const renderMessage: MessageRenderer = renderDefaultMessage;
