import {
  checkWebhookUrl,
  type Resolver,
  refusedAddress,
  validateWebhookUrl,
  WebhookUrlError,
} from "@cognito-lifecycle/aws/webhooks";
import { describe, expect, it } from "vitest";

const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("webhook URLs", () => {
  it("accepts a public https URL", async () => {
    const url = await validateWebhookUrl("https://hooks.example.com/in", {
      resolve: resolvesTo("93.184.216.34"),
    });
    expect(url.hostname).toBe("hooks.example.com");
  });

  it.each([
    ["plain http", "http://hooks.example.com/in"],
    ["another scheme", "ftp://hooks.example.com/in"],
    ["credentials", "https://user:pass@hooks.example.com/in"],
    ["localhost", "https://localhost/in"],
    ["not a URL", "hooks.example.com"],
  ])("refuses %s", (_, url) => {
    expect(() => checkWebhookUrl(url)).toThrow(WebhookUrlError);
  });

  it.each([
    ["loopback", "https://127.0.0.1/"],
    ["loopback in decimal", "https://2130706433/"],
    ["loopback in hex", "https://0x7f.1/"],
    ["private 10/8", "https://10.1.2.3/"],
    ["private 172.16/12", "https://172.20.0.1/"],
    ["private 192.168/16", "https://192.168.1.1/"],
    ["instance metadata (link-local)", "https://169.254.169.254/latest/meta-data/"],
    ["CGNAT", "https://100.64.0.1/"],
    ["unspecified", "https://0.0.0.0/"],
    ["IPv6 loopback", "https://[::1]/"],
    ["IPv6 unique local", "https://[fd00::1]/"],
    ["IPv6 link-local", "https://[fe80::1]/"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/"],
    ["IPv4-mapped metadata", "https://[::ffff:a9fe:a9fe]/"],
    ["NAT64 of a private address", "https://[64:ff9b::10.0.0.1]/"],
    ["6to4 of a private address", "https://[2002:c0a8:0101::1]/"],
  ])("refuses an IP literal: %s", (_, url) => {
    expect(() => checkWebhookUrl(url)).toThrow(/private or reserved/);
  });

  it.each([
    "10.0.0.5",
    "127.0.0.1",
    "169.254.169.254",
    "100.127.255.255",
    "fd12:3456::1",
    "fe80::abcd",
    "::ffff:192.168.0.1",
  ])("refuses a host that resolves to %s", async (address) => {
    await expect(
      validateWebhookUrl("https://rebind.example.com/", { resolve: resolvesTo("93.184.216.34", address) }),
    ).rejects.toThrow(/resolves to a private or reserved address/);
  });

  it("refuses a host that does not resolve", async () => {
    const resolve: Resolver = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    await expect(validateWebhookUrl("https://nowhere.example.com/", { resolve })).rejects.toThrow(
      /does not resolve/,
    );
  });

  it("allows http to 127.0.0.1 only with the local flag, and nothing else private", () => {
    expect(() => checkWebhookUrl("http://127.0.0.1:8080/in")).toThrow(WebhookUrlError);
    expect(checkWebhookUrl("http://127.0.0.1:8080/in", { allowLocalHttp: true }).port).toBe("8080");
    expect(() => checkWebhookUrl("http://10.0.0.1/in", { allowLocalHttp: true })).toThrow(WebhookUrlError);
    expect(() => checkWebhookUrl("http://127.0.0.2/in", { allowLocalHttp: true })).toThrow(WebhookUrlError);
    expect(() => checkWebhookUrl("http://[::ffff:127.0.0.1]/in", { allowLocalHttp: true })).toThrow(
      WebhookUrlError,
    );
  });

  it("lets public addresses through, IPv6 included", () => {
    expect(refusedAddress("93.184.216.34")).toBeUndefined();
    expect(refusedAddress("2606:2800:220:1:248:1893:25c8:1946")).toBeUndefined();
    expect(refusedAddress("::ffff:93.184.216.34")).toBeUndefined();
  });
});
