import { writeFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

/**
 * Chromium's fake camera (--use-file-for-fake-video-capture) plays a .y4m file in a loop.
 * These helpers "film" something shown on a screen: the element is screenshotted as the
 * person would see it, drawn onto a white 640×480 frame in a scratch page, and written as
 * grey-scale YUV 4:2:0. Chromium opens the file each time a page starts the camera, so
 * rewriting it between scans changes what the scanner sees next.
 */
export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

export interface Frame {
  /** Luma plane, FRAME_WIDTH × FRAME_HEIGHT bytes. */
  luma: Uint8Array;
}

export function blankFrame(): Frame {
  return { luma: new Uint8Array(FRAME_WIDTH * FRAME_HEIGHT).fill(235) };
}

/**
 * Takes a picture of `element` (e.g. the QR on the citizen's phone) as one camera frame. An
 * SVG (the printed letter's QR) is drawn from its vector at the frame's size, as a camera
 * sees a printed code sharply; a screenshot of its 46 mm on screen has under 3 pixels per
 * module, and blown up to the frame some codes came out too blurred for the decoder.
 */
export async function photograph(element: Locator, scratch: Page): Promise<Frame> {
  const svg = await element.evaluate((node) =>
    node instanceof SVGSVGElement ? new XMLSerializer().serializeToString(node) : null,
  );
  const png = svg === null ? await element.screenshot({ animations: 'disabled' }) : undefined;
  const luma = await scratch.evaluate(
    async ({ svg, base64, width, height }) => {
      const image = new Image();
      if (svg === null) image.src = `data:image/png;base64,${base64}`;
      else {
        // Rendered at the size it is drawn at below (a viewBox alone has no pixel size).
        const side = Math.round(Math.min(width, height) * 0.8);
        const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
        document.documentElement.setAttribute('width', String(side));
        document.documentElement.setAttribute('height', String(side));
        const text = new XMLSerializer().serializeToString(document);
        image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
      }
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      // Fill most of the frame, like a phone held up close to the scanner.
      const scale = Math.min((width * 0.8) / image.width, (height * 0.8) / image.height);
      const w = Math.round(image.width * scale);
      const h = Math.round(image.height * scale);
      context.imageSmoothingEnabled = false;
      context.drawImage(image, Math.round((width - w) / 2), Math.round((height - h) / 2), w, h);
      const { data } = context.getImageData(0, 0, width, height);
      const out = new Array<number>(width * height);
      for (let i = 0; i < out.length; i++) {
        const y =
          0.299 * (data[i * 4] ?? 0) + 0.587 * (data[i * 4 + 1] ?? 0) + 0.114 * (data[i * 4 + 2] ?? 0);
        // Studio-range luma, as YUV video expects.
        out[i] = Math.round(16 + (y * 219) / 255);
      }
      return out;
    },
    { svg, base64: png?.toString('base64') ?? '', width: FRAME_WIDTH, height: FRAME_HEIGHT },
  );
  return { luma: Uint8Array.from(luma) };
}

/** Writes a short looping video of one still frame. */
export async function writeY4m(path: string, frame: Frame, frames = 10): Promise<void> {
  const header = Buffer.from(`YUV4MPEG2 W${FRAME_WIDTH} H${FRAME_HEIGHT} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const chroma = Buffer.alloc((FRAME_WIDTH / 2) * (FRAME_HEIGHT / 2) * 2, 128);
  const one = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), Buffer.from(frame.luma), chroma]);
  await writeFile(path, Buffer.concat([header, ...Array.from({ length: frames }, () => one)]));
}
