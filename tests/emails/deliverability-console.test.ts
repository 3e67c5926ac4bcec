import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RecordSection } from "../../packages/console/src/pages/user/RecordSection.tsx";
import type { UserRecord } from "../../packages/console/src/types.ts";

const user: UserRecord = {
  sub: "0b7e1c1a-0000-4000-8000-000000000001",
  username: "0b7e1c1a-0000-4000-8000-000000000001",
  email: "jane@example.com",
  emailNormalised: "jane@example.com",
  emailVerified: true,
  status: "active",
  roles: ["member"],
  groups: [],
  source: "sign-up",
  identities: [],
  createdAt: "2026-11-30T08:00:00.000Z",
  version: 2,
  updatedAt: "2026-11-30T09:00:04.000Z",
};

/** The Deliverability row's text, markup removed. */
function deliverabilityRow(record: UserRecord): string {
  const html = renderToStaticMarkup(createElement(RecordSection, { user: record }));
  const row = /<dt>Deliverability<\/dt><dd>([\s\S]*?)<\/dd>/.exec(html)?.[1] ?? "";
  return row
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("the console's user page: email deliverability", () => {
  it("shows a bounce with its SES types, and says what it stops", () => {
    const row = deliverabilityRow({
      ...user,
      emailDeliverability: {
        status: "bouncing",
        at: "2026-11-30T09:00:04.000Z",
        bounceType: "Permanent",
        subType: "NoEmail",
      },
    });
    expect(row).toContain("bouncing");
    expect(row).toContain("Permanent · NoEmail");
    expect(row).toContain("no welcome email; codes still go out");
  });

  it("says when SES reported nothing", () => {
    expect(deliverabilityRow(user)).toBe("no bounce or complaint");
  });
});
