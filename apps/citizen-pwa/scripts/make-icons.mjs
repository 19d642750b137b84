// Draws the app's PNG icons (the same picture as public/icon.svg: a stylised QR code on a
// coloured square) without any image library: `node scripts/make-icons.mjs <out dir> <#rrggbb>`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const [outDir = 'public', colour = '#0b5394'] = process.argv.slice(2);
const background = [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16));
// White blocks on a 512 grid, matching icon.svg.
const blocks = [
  [112, 112, 120, 120],
  [280, 112, 120, 120],
  [112, 280, 120, 120],
  [296, 296, 40, 40],
  [360, 296, 40, 40],
  [296, 360, 104, 40],
];

function pixel(x, y) {
  const inBlock = blocks.some(([bx, by, w, h]) => x >= bx && x < bx + w && y >= by && y < by + h);
  return inBlock ? [255, 255, 255] : background;
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      row.set(pixel(Math.floor((x * 512) / size), Math.floor((y * 512) / size)), 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) writeFileSync(join(outDir, `icon-${size}.png`), png(size));
