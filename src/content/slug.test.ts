import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLUG_PATTERN, slugify } from "./slug.ts";

describe("slugify", () => {
  it("drops Vietnamese tones and diacritics", () => {
    expect(slugify("Cửa Lò tham dự hội nghị")).toBe("cua-lo-tham-du-hoi-nghi");
    expect(slugify("Đường")).toBe("duong");
    expect(slugify("đường Bình Minh")).toBe("duong-binh-minh");
    expect(slugify("Ủy ban nhân dân Thị xã")).toBe("uy-ban-nhan-dan-thi-xa");
  });

  it("joins words with single hyphens and trims them", () => {
    expect(slugify("  Giai đoạn 2011 – 2020: kết quả!  ")).toBe("giai-doan-2011-2020-ket-qua");
    expect(slugify("--Tin   nhanh--")).toBe("tin-nhanh");
  });

  it("gives the same slug for NFC and NFD input", () => {
    const title = "Cải cách hành chính";
    expect(slugify(title.normalize("NFD"))).toBe(slugify(title.normalize("NFC")));
  });

  it("always yields a valid slug or nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const slug = slugify(s);
        expect(slug === "" || SLUG_PATTERN.test(slug)).toBe(true);
      }),
    );
  });
});
