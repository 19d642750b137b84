import QRCode from 'qrcode';

/**
 * QR images of pass texts. Error correction M survives a scuffed card or a dim phone screen
 * while keeping a ~160-character pass at a size cheap scanners read; the 4-module quiet zone
 * is what the standard requires around the code.
 */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function renderQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' });
}

export function renderQrPng(text: string, widthPx = 512): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', width: widthPx });
}
