import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  animatedGif,
  CAMERA_MAKE,
  CAMERA_MODEL,
  containsText,
  GIF_POLYGLOT,
  jpegWithScript,
  phoneJpeg,
  phonePicture,
  pngBomb,
  SVG_WITH_SCRIPT,
  TEXT_AS_JPG,
  XMP_MARK,
} from "../../tests/helpers/pictures.ts";
import { MAX_UPLOAD_BYTES, processPicture, sniffFormat } from "./process.ts";

/** Asserts that none of a picture's bytes carries location, camera or any metadata block. */
async function assertClean(data: Uint8Array): Promise<void> {
  for (const text of [
    "GPS",
    CAMERA_MAKE,
    CAMERA_MODEL,
    XMP_MARK,
    "Exif",
    "xmpmeta",
    "ICC_PROFILE",
  ]) {
    expect(containsText(data, text), text).toBe(false);
  }
  const meta = await sharp(data).metadata();
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
}

async function processed(bytes: Uint8Array) {
  const result = await processPicture(bytes);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.picture;
}

// Generous timeouts: sharp shares two cores with the rest of the suite.
describe("processPicture", { timeout: 120_000 }, () => {
  it("removes GPS, camera and XMP from every width of a phone's JPEG, upright", async () => {
    const original = await phoneJpeg(3000, 2000);
    // The fixture does carry what must go.
    for (const text of ["GPS", CAMERA_MAKE, XMP_MARK])
      expect(containsText(original, text)).toBe(true);
    const picture = await processed(original);
    expect(picture.format).toBe("jpeg");
    // Orientation 6: stored 3000 × 2000, shown 2000 × 3000.
    expect([picture.width, picture.height]).toEqual([2000, 3000]);
    expect(picture.renditions.map((r) => [r.name, r.mediaType, r.width, r.height])).toEqual([
      ["480", "image/webp", 480, 720],
      ["960", "image/webp", 960, 1440],
      ["1600", "image/webp", 1600, 2400],
      ["full", "image/jpeg", 2000, 3000],
    ]);
    for (const r of picture.renditions) {
      await assertClean(r.data);
      const meta = await sharp(r.data).metadata();
      expect([meta.width, meta.height]).toEqual([r.width, r.height]);
      expect(meta.orientation ?? 1).toBe(1);
      expect(meta.format).toBe(r.mediaType === "image/jpeg" ? "jpeg" : "webp");
    }
    // The black corner mark, top-left when stored, is top-right once turned clockwise.
    const full = picture.renditions.at(-1);
    const { data, info } = await sharp(full?.data).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => data[(y * info.width + x) * info.channels] ?? -1;
    expect(pixel(info.width - 10, 10)).toBeLessThan(40);
    expect(pixel(10, 10)).toBeGreaterThan(100);
  });

  it("removes the same from PNG and WebP uploads", async () => {
    for (const format of ["png", "webp"] as const) {
      const original = await phonePicture(format);
      expect(containsText(original, CAMERA_MAKE), format).toBe(true);
      const picture = await processed(original);
      expect(picture.format).toBe(format);
      expect(picture.renditions.map((r) => r.name)).toEqual(["480", "960", "full"]);
      for (const r of picture.renditions) await assertClean(r.data);
    }
  });

  it("never upscales: a small picture has only its own size", async () => {
    const small = await sharp({
      create: { width: 300, height: 200, channels: 3, background: "#336699" },
    })
      .png()
      .toBuffer();
    const picture = await processed(small);
    expect(picture.renditions.map((r) => [r.name, r.width, r.height, r.mediaType])).toEqual([
      ["full", 300, 200, "image/png"],
    ]);
  });

  it("caps the full size at 2048 pixels wide", async () => {
    const wide = await sharp({
      create: { width: 4000, height: 1000, channels: 3, background: "#336699" },
    })
      .webp()
      .toBuffer();
    const picture = await processed(wide);
    expect(picture.renditions.at(-1)).toMatchObject({ name: "full", width: 2048, height: 512 });
  });

  it("flattens an animated GIF to its first frame, served as PNG", async () => {
    const gif = await animatedGif(3);
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(3);
    const picture = await processed(gif);
    expect(picture.format).toBe("gif");
    const full = picture.renditions.at(-1);
    expect(full?.mediaType).toBe("image/png");
    const meta = await sharp(full?.data).metadata();
    expect(meta.format).toBe("png");
    expect(meta.pages ?? 1).toBe(1);
    expect(meta.height).toBe(400);
  });

  it("refuses an SVG with a script, by its bytes", async () => {
    const result = await processPicture(SVG_WITH_SCRIPT);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/SVG/);
  });

  it("refuses a text file, whatever it was called", async () => {
    const result = await processPicture(TEXT_AS_JPG);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/không phải là ảnh/) });
  });

  it("refuses a GIF header followed by script", async () => {
    expect(sniffFormat(GIF_POLYGLOT)).toBe("gif");
    const result = await processPicture(GIF_POLYGLOT);
    expect(result.ok).toBe(false);
  });

  it("serves a JPEG with a script appended only as re-encoded pixels", async () => {
    const picture = await processed(await jpegWithScript());
    for (const r of picture.renditions) {
      expect(containsText(r.data, "<script"), r.name).toBe(false);
      expect(containsText(r.data, "<html"), r.name).toBe(false);
    }
  });

  it("refuses a decompression bomb without decoding it", async () => {
    const bomb = pngBomb(50_000);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const result = await processPicture(bomb);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/megapixel/) });
  });

  it("refuses more than 20 MB before looking at it", async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0xff);
    const result = await processPicture(big);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/20 MB/) });
    expect(await processPicture(Buffer.alloc(0))).toMatchObject({ ok: false });
  });
});
