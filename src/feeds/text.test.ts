import { describe, expect, it } from "vitest";
import { decodeEntities, escapeHtml } from "../text/escape.ts";
import { plainExcerpt, stripControl } from "../text/plain.ts";
import { createUrls } from "../urls.ts";
import { absolutizeHtml, cdataSafeHtml } from "./text.ts";

const urls = createUrls(new URL("https://cualo.example"));

describe("stripControl", () => {
  it("drops XML-illegal characters and keeps Vietnamese, tabs and newlines", () => {
    expect(stripControl("Cửa\u0000 Lò\u0007\t\n\r\u001F\uFFFE ✓ 𝄞")).toBe("Cửa Lò\t\n\r ✓ 𝄞");
    expect(stripControl("a\uD800b\uDC00c")).toBe("abc");
  });
});

describe("escapeHtml and cdataSafeHtml", () => {
  it("escape markup and CDATA terminators", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
    expect(cdataSafeHtml("<p>a ]]> b ]]> c</p>")).toBe("<p>a ]]&gt; b ]]&gt; c</p>");
  });
});

describe("absolutizeHtml", () => {
  it("makes root-relative src and href absolute and leaves others alone", () => {
    const html =
      '<a href="/articles/x?a=1&amp;b=2">x</a><img src="/media/a b.jpg" alt="/not"><a href="//cdn.example/y">y</a><a href="https://other.example/">z</a><a href="#top">t</a>';
    expect(absolutizeHtml(html, urls)).toBe(
      '<a href="https://cualo.example/articles/x?a=1&amp;b=2">x</a><img src="https://cualo.example/media/a%20b.jpg" alt="/not"><a href="//cdn.example/y">y</a><a href="https://other.example/">z</a><a href="#top">t</a>',
    );
  });
});

describe("plainExcerpt", () => {
  it("is the text of the HTML, decoded and cut at a word", () => {
    expect(
      plainExcerpt("<p>Cửa Lò &amp; Nghệ An&#39;s <b>biển</b></p>\n<p>đẹp &#x2014; lắm</p>"),
    ).toBe("Cửa Lò & Nghệ An's biển đẹp — lắm");
    expect(plainExcerpt("<p>một hai ba bốn năm sáu</p>", 12)).toBe("một hai ba…");
  });

  it("keeps unknown entities as written", () => {
    expect(decodeEntities("&bogus; &#65;")).toBe("&bogus; A");
  });
});
