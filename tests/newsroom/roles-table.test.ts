/**
 * Every role against every newsroom action, over real HTTP against the real
 * server (the contract's "Roles"): each account tries each action on
 * something in the right state; what its roles allow succeeds, the rest get
 * 403 and change nothing (read back from the store), and every attempt,
 * allowed or refused, leaves its audit record naming who and how it ended.
 *
 * One server and one seeding for the file. Articles are made over HTTP by
 * their owner (a writer may act only on their own, so the article a writer
 * tries to submit is their own: the table tests roles, not ownership).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTICLE_PATHS, NEWSROOM_PATHS } from "../../src/newsroom/pages/index.ts";
import { openStorage, type Storage } from "../../src/storage/open.ts";
import type { StaffRole } from "../../src/storage/staff.ts";
import { articleText, makeContentDir, type TempContent } from "../fixtures/content/make-dir.ts";
import { reply } from "../fixtures/replies.ts";
import { findAll, nodeText, treeOf } from "../helpers/html.ts";
import {
  addStaff,
  BROWSER_ACCEPT,
  articleForm as fields,
  type StaffClient,
  sendFrom,
  staffClient,
} from "../helpers/newsroom.ts";
import { phoneJpeg } from "../helpers/pictures.ts";
import { startServer, type TestServer } from "../helpers/server.ts";

const PASSWORD = "mật khẩu đủ dài của tòa soạn";
const ACCOUNTS: Record<string, readonly StaffRole[]> = {
  viet: ["writer"],
  bien: ["editor"],
  kiem: ["moderator"],
  quan: ["admin"],
  vietkiem: ["writer", "moderator"],
};
/** Who makes the articles a member who writes nothing is shown (and who publishes for the setup). */
const ADMIN = "quan";

let server: TestServer;
let content: TempContent;
let storage: Storage;
const clients = new Map<string, { client: StaffClient; csrf: string }>();
let counter = 0;

beforeAll(async () => {
  content = await makeContentDir({
    "articles/tu-tep.md": articleText([
      'title: "Bài soạn bằng tệp"',
      "published: 2021-03-18T15:00:00+07:00",
    ]),
  });
  server = await startServer({ contentDir: content.dir });
  for (const [name, roles] of Object.entries(ACCOUNTS)) {
    await addStaff(server.dataDir, name, PASSWORD, roles);
  }
  // Read beside the running server (WAL lets both use the file).
  storage = await openStorage({ dataDir: server.dataDir, databaseUrl: undefined });
  for (const name of Object.keys(ACCOUNTS)) {
    const client = staffClient(sendFrom(server.origin));
    expect((await client.login(name, PASSWORD)).status).toBe(303);
    clients.set(name, { client, csrf: await client.csrfToken() });
  }
}, 120_000);

afterAll(async () => {
  await storage?.close();
  await server?.cleanup();
  await content?.cleanup();
});

const store = () => storage.store;
const as = (name: string) => {
  const found = clients.get(name);
  if (!found) throw new Error(`no client for ${name}`);
  return found;
};

const writes = (name: string) =>
  (ACCOUNTS[name] ?? []).some((r) => r === "writer" || r === "editor" || r === "admin");

/** The article's latest revision number, as its form carries it. */
async function revisionOf(id: string): Promise<string> {
  return String((await store().getArticle(id))?.latestRevision ?? 0);
}

async function act(
  name: string,
  id: string,
  title: string,
  action: string,
  extra: Record<string, string> = {},
) {
  const { client, csrf } = as(name);
  const revision = await revisionOf(id);
  return await client.post(ARTICLE_PATHS.edit(id), {
    csrf,
    ...fields(title),
    revision,
    action,
    ...extra,
  });
}

/** A new article by `owner`, taken through `steps` (by `owner`, then by the admin). */
async function article(owner: string, steps: readonly [string, string][]): Promise<string> {
  counter += 1;
  const title = `Bài thử số ${counter}`;
  const { client, csrf } = as(owner);
  const res = await client.post(ARTICLE_PATHS.create, { csrf, ...fields(title), action: "save" });
  expect(res.status, `create by ${owner}`).toBe(303);
  const id = decodeURIComponent(
    /\/admin\/articles\/([^/?]+)/.exec(res.headers.get("location") ?? "")?.[1] ?? "",
  );
  for (const [who, step] of steps) {
    expect((await act(who, id, title, step)).status, `${step} by ${who}`).toBe(303);
  }
  return id;
}

interface Attempt {
  /** What the member tries. */
  run(name: string): Promise<Response>;
  /** What can be read back to see whether anything changed. */
  snapshot(): Promise<unknown>;
}

const titleOf = async (id: string) => (await store().getArticle(id))?.title ?? "";
const articleSnapshot = async (id: string) => {
  const a = await store().getArticle(id);
  return { state: a?.state, latest: a?.latestRevision, published: a?.publishedRevision };
};

/** An article attempt: `prepare` makes the article in the right state for `name`. */
function onArticle(
  prepare: (name: string) => Promise<string>,
  action: string,
  extra: Record<string, string> = {},
): (name: string) => Promise<Attempt> {
  return async (name) => {
    const id = await prepare(name);
    return {
      run: async (who) => act(who, id, await titleOf(id), action, extra),
      snapshot: () => articleSnapshot(id),
    };
  };
}

/** The article a member's own draft would be, or the admin's for one who writes nothing. */
const ownerFor = (name: string) => (writes(name) ? name : ADMIN);
const draft = (name: string) => article(ownerFor(name), []);
const submitted = (name: string) => article(ownerFor(name), [[ownerFor(name), "submit"]]);
const published = (name: string) => article(ownerFor(name), [[ADMIN, "publish"]]);
const withdrawn = (name: string) =>
  article(ownerFor(name), [
    [ADMIN, "publish"],
    [ADMIN, "withdraw"],
  ]);
const twice = async (name: string) => {
  const id = await draft(name);
  expect((await act(ADMIN, id, `${await titleOf(id)} (sửa)`, "save")).status).toBe(303);
  return id;
};

const pendingReply = async () => {
  counter += 1;
  const r = reply(`ban-doc-${counter}`, { state: "pending" });
  await store().putInteraction(r);
  return r;
};

/** A decision on a reply held for one: `path` is the approve or the reject action. */
function decision(path: string): () => Promise<Attempt> {
  return async () => {
    const r = await pendingReply();
    return {
      run: (who) => as(who).client.post(path, { csrf: as(who).csrf, id: r.id }),
      snapshot: async () => (await store().getInteraction(r.id))?.state,
    };
  };
}

async function upload(name: string, bytes: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set("csrf", as(name).csrf);
  form.set("alt", "Hội trường Ủy ban thị xã");
  form.set("file", new Blob([bytes], { type: "image/jpeg" }), "anh.jpg");
  const cookie = [...as(name).client.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return fetch(new URL(NEWSROOM_PATHS.media, server.origin), {
    method: "POST",
    body: form,
    headers: { Accept: BROWSER_ACCEPT, Cookie: cookie },
    redirect: "manual",
  });
}

const WRITERS = ["viet", "bien", "quan", "vietkiem"];
const EDITORS = ["bien", "quan"];
const MODERATORS = ["kiem", "quan", "vietkiem"];

/** Every action: who may take it, and how to set up one attempt at it. */
const ACTIONS: Record<
  string,
  { allowed: readonly string[]; attempt: (name: string) => Promise<Attempt> }
> = {
  "article save": {
    allowed: WRITERS,
    attempt: onArticle(draft, "save", { body: "Nội dung bài, đã sửa." }),
  },
  "article submit": { allowed: WRITERS, attempt: onArticle(draft, "submit") },
  "article publish": { allowed: EDITORS, attempt: onArticle(submitted, "publish") },
  "article return": {
    allowed: EDITORS,
    attempt: onArticle(submitted, "return", { comment: "Xin bổ sung giờ tiếp dân." }),
  },
  "article withdraw": { allowed: EDITORS, attempt: onArticle(published, "withdraw") },
  "article republish": { allowed: EDITORS, attempt: onArticle(withdrawn, "republish") },
  "article restore": {
    allowed: EDITORS,
    attempt: async (name) => {
      const id = await twice(name);
      return {
        run: (who) =>
          as(who).client.post(ARTICLE_PATHS.restore(id), {
            csrf: as(who).csrf,
            revision: "1",
          }),
        snapshot: () => articleSnapshot(id),
      };
    },
  },
  upload: {
    allowed: WRITERS,
    attempt: async () => {
      const bytes = await phoneJpeg(320, 240);
      return {
        run: (who) => upload(who, bytes),
        snapshot: async () => (await store().listPictures({ limit: 1000 })).items.length,
      };
    },
  },
  "alt edit": {
    allowed: WRITERS,
    attempt: async () => {
      const [picture] = (await store().listPictures({ limit: 1 })).items;
      if (!picture) throw new Error("no picture to describe (the uploads run first)");
      counter += 1;
      return {
        run: (who) =>
          as(who).client.post(NEWSROOM_PATHS.mediaAlt, {
            csrf: as(who).csrf,
            id: picture.id,
            alt: `Mô tả mới số ${counter}`,
          }),
        snapshot: async () => (await store().getPicture(picture.id))?.alt,
      };
    },
  },
  approve: { allowed: MODERATORS, attempt: decision(NEWSROOM_PATHS.approve) },
  reject: { allowed: MODERATORS, attempt: decision(NEWSROOM_PATHS.reject) },
  "block actor": {
    allowed: MODERATORS,
    attempt: async () => {
      counter += 1;
      const actor = `https://spam.example/users/bot-${counter}`;
      return {
        run: (who) => as(who).client.post(NEWSROOM_PATHS.blockActor, { csrf: as(who).csrf, actor }),
        snapshot: () => store().isBlocked(actor),
      };
    },
  },
  "block domain": {
    allowed: MODERATORS,
    attempt: async () => {
      counter += 1;
      const domain = `spam-${counter}.example`;
      return {
        run: (who) =>
          as(who).client.post(NEWSROOM_PATHS.blockDomain, { csrf: as(who).csrf, domain }),
        snapshot: () => store().isBlocked(`https://${domain}/users/x`),
      };
    },
  },
  unblock: {
    allowed: MODERATORS,
    attempt: async () => {
      counter += 1;
      const domain = `blocked-${counter}.example`;
      await store().addBlock({ kind: "domain", value: domain, createdAt: new Date(), by: ADMIN });
      return {
        run: (who) =>
          as(who).client.post(NEWSROOM_PATHS.unblock, {
            csrf: as(who).csrf,
            kind: "domain",
            value: domain,
          }),
        snapshot: () => store().isBlocked(`https://${domain}/users/x`),
      };
    },
  },
};

async function lastAuditId(): Promise<number> {
  return (await store().listAudit({ limit: 1 })).items[0]?.id ?? 0;
}

describe("every role against every newsroom action, over HTTP", () => {
  for (const [label, { allowed, attempt }] of Object.entries(ACTIONS)) {
    it(`${label}: ${allowed.join(", ")} may; the others get 403 and change nothing`, {
      timeout: 120_000,
    }, async () => {
      for (const name of Object.keys(ACCOUNTS)) {
        const may = allowed.includes(name);
        const tried = await attempt(name);
        const before = await tried.snapshot();
        const since = await lastAuditId();
        const res = await tried.run(name);
        expect(res.status, `${label} by ${name}`).toBe(may ? 303 : 403);
        const after = await tried.snapshot();
        if (may) expect(after, `${label} by ${name} changed something`).not.toEqual(before);
        else expect(after, `${label} by ${name} changed nothing`).toEqual(before);
        const records = (await store().listAudit({ limit: 20 })).items.filter((r) => r.id > since);
        expect(
          records.map((r) => [r.actor, r.outcome]),
          `${label} by ${name} is on record`,
        ).toContainEqual([name, may ? "ok" : "denied"]);
        expect(new Set(records.map((r) => r.actor)), `${label}: nobody else's record`).toEqual(
          new Set([name]),
        );
      }
    });
  }

  it("the audit trail: admins read it; everyone else gets 403, on record", async () => {
    for (const name of Object.keys(ACCOUNTS)) {
      const since = await lastAuditId();
      const res = await as(name).client.get(NEWSROOM_PATHS.audit);
      const may = name === ADMIN;
      expect(res.status, name).toBe(may ? 200 : 403);
      if (may) {
        expect(await res.text()).toContain("Nhật ký thao tác");
        continue;
      }
      const records = (await store().listAudit({ limit: 5 })).items.filter((r) => r.id > since);
      expect(records.map((r) => [r.actor, r.action, r.outcome, r.subject])).toEqual([
        [name, "forbidden", "denied", `GET ${NEWSROOM_PATHS.audit}`],
      ]);
    }
  });

  it("each member's navigation names only what their roles reach", async () => {
    const expected: Record<string, string[]> = {
      viet: ["Tổng quan", "Bài viết", "Ảnh"],
      // An editor is told how many wait for review; nobody else is.
      bien: [
        "Tổng quan",
        `Bài viết (${await store().countArticles("submitted")}) bài chờ duyệt`,
        "Ảnh",
      ],
      kiem: [
        "Tổng quan",
        "Hàng chờ duyệt",
        "Nhắc đến",
        "Người theo dõi",
        "Tình trạng gửi",
        "Danh sách chặn",
      ],
      vietkiem: [
        "Tổng quan",
        "Bài viết",
        "Hàng chờ duyệt",
        "Nhắc đến",
        "Người theo dõi",
        "Tình trạng gửi",
        "Danh sách chặn",
        "Ảnh",
      ],
    };
    for (const [name, labels] of Object.entries(expected)) {
      const html = await (await as(name).client.get(NEWSROOM_PATHS.home)).text();
      const [nav] = findAll(treeOf(html), (n) => n.name === "nav");
      expect(nav && nodeText(nav), name).toBe([...labels, "Đăng xuất"].join(" "));
    }
    const admin = await (await as(ADMIN).client.get(NEWSROOM_PATHS.home)).text();
    expect(admin).toContain(`href="${NEWSROOM_PATHS.audit}"`);
  });
});
