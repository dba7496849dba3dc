import { describe, expect, it } from "vitest";
import { containsPhone, extractPhone, maskPhones } from "../../bot/privacy.ts";

describe("phone numbers typed with a Chinese input method", () => {
  it("recognises and masks full-width digits, spaces and dashes like ASCII ones", () => {
    expect(maskPhones("我电话１３９１２３４５６７８，晚上打")).toBe("我电话139****5678，晚上打");
    expect(maskPhones("座机０３７５－２６６８８９９")).toBe("座机037****8899");
    expect(maskPhones("手机 １３９　１２３４　５６７８ 找我")).toBe("手机 139****5678 找我");
    expect(maskPhones("＋８６ １３９１２３４５６７８")).toBe("139****5678");
    expect(extractPhone("联系我１３９１２３４５６７８")).toBe("13912345678");
    // A number among other digits is left alone, as with ASCII digits.
    expect(containsPhone("订单号１２３４５６７８９０１２３４")).toBe(false);
    expect(containsPhone("３号楼２单元")).toBe(false);
  });
});
