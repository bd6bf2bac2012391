import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.ts";

describe("renderMarkdown", () => {
  it("escapes raw HTML blocks instead of passing them through", () => {
    const html = renderMarkdown("Trước\n\n<script>alert('x')</script>\n\nSau\n");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).toContain("<p>Sau</p>");
  });

  it("escapes inline HTML tags", () => {
    const html = renderMarkdown('Chữ <img src=x onerror="alert(1)"> và <b>đậm</b>\n');
    expect(html).not.toMatch(/<img|<b>/);
    expect(html).toContain("&lt;b&gt;đậm&lt;/b&gt;");
  });

  it("drops javascript: links but keeps their text", () => {
    const html = renderMarkdown("[bấm đây](javascript:alert(1)) và [trang](https://example.vn/)\n");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("bấm đây");
    expect(html).toContain('<a href="https://example.vn/">trang</a>');
  });

  it("renders ordinary Markdown and leaves Vietnamese text as written", () => {
    const html = renderMarkdown("## Tiêu đề\n\n**Cửa Lò** – *biển*\n");
    expect(html).toContain("<h2>Tiêu đề</h2>");
    expect(html).toContain("<strong>Cửa Lò</strong> – <em>biển</em>");
  });

  it("does not change the global marked instance", () => {
    renderMarkdown("x");
    expect(marked.parse("<b>raw</b>", { async: false })).toContain("<b>raw</b>");
  });
});
