/**
 * Reads QR codes from the camera with jsQR, which is bundled with the app (loaded on first
 * use so the login screen stays light); nothing is fetched from elsewhere at run time.
 */
export interface CameraSession {
  stop(): void;
  /** False once stopped, including when a code was read on the very first frame. */
  isRunning(): boolean;
  deviceId: string | undefined;
}

type JsQr = typeof import('jsqr').default;
let decoder: Promise<JsQr> | undefined;

function loadDecoder(): Promise<JsQr> {
  decoder ??= import('jsqr').then((module) => module.default);
  return decoder;
}

export async function listCameras(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((device) => device.kind === 'videoinput');
}

/** Starts the camera into `video` and calls `onCode` once with the first QR text seen. */
export async function startScanning(
  video: HTMLVideoElement,
  onCode: (text: string) => void,
  deviceId?: string,
): Promise<CameraSession> {
  const [jsQR, stream] = await Promise.all([
    loadDecoder(),
    navigator.mediaDevices.getUserMedia({
      audio: false,
      video: deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: 'environment' } },
    }),
  ]);
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', 'true');
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let running = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    running = false;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  const tick = () => {
    if (!running || !context) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) {
        performance.mark('qr-decoded');
        stop();
        onCode(code.data);
        return;
      }
    }
    timer = setTimeout(tick, 80);
  };
  tick();
  return {
    stop,
    isRunning: () => running,
    deviceId: stream.getVideoTracks()[0]?.getSettings().deviceId,
  };
}
