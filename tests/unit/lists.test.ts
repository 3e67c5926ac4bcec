import { auditActions, userSources, userStatuses } from "@cognito-lifecycle/core";
import { describe, expect, it } from "vitest";
import * as consoleLists from "../../packages/console/src/types.ts";

describe("the lists core owns", () => {
  it("are the console's lists: it offers every audit action, status and source", () => {
    // Prepare / Act: what the console's filters offer.
    const { auditActions: offered, userStatuses: statuses, userSources: sources } = consoleLists;
    // Assess: the same values, so no action an entry can carry is missing from the filter.
    expect(offered).toEqual(auditActions);
    expect(offered).toEqual(expect.arrayContaining(["user.created", "user.reconciled"]));
    expect(statuses).toEqual(userStatuses);
    expect(sources).toEqual(userSources);
  });

  it("have no duplicates", () => {
    for (const list of [auditActions, userStatuses, userSources]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });
});
