import { useEffect, useRef, useState } from 'preact/hooks';
import { type CameraSession, listCameras, startScanning } from '../camera.ts';
import { useT } from '../i18n.ts';

/**
 * The camera starts by itself (a busy counter should not need an extra tap); when it cannot
 * be used, typing the code under the QR does the same job.
 */
export function ScanScreen({
  busy,
  error,
  terminalLabel,
  onCode,
  onScanAgain,
}: {
  busy: boolean;
  error: { message: string; code: string } | undefined;
  terminalLabel: string;
  onCode: (text: string) => void;
  /** A new scan begins: the last refusal no longer applies. */
  onScanAgain: () => void;
}) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const camera = useRef<CameraSession | undefined>(undefined);
  const [cameraState, setCameraState] = useState<'off' | 'starting' | 'on'>('off');
  const cameraOn = cameraState === 'on';
  const [cameraProblem, setCameraProblem] = useState(false);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [manual, setManual] = useState('');

  async function start(deviceId?: string) {
    camera.current?.stop();
    if (!video.current) return;
    onScanAgain();
    setCameraState('starting');
    try {
      camera.current = await startScanning(
        video.current,
        (text) => {
          setCameraState('off');
          onCode(text);
        },
        deviceId,
      );
      // A code already in front of the lens may have been read before we got here.
      setCameraState(camera.current.isRunning() ? 'on' : 'off');
      setCameraProblem(false);
      setCameras(await listCameras());
    } catch {
      setCameraState('off');
      setCameraProblem(true);
    }
  }

  function stop() {
    camera.current?.stop();
    setCameraState('off');
  }

  function switchCamera() {
    if (cameras.length < 2) return;
    const index = cameras.findIndex((device) => device.deviceId === camera.current?.deviceId);
    start(cameras[(index + 1) % cameras.length]?.deviceId);
  }

  // Starts once when the screen opens. After a refusal it waits for a tap: the same code is
  // probably still in front of the lens, and reading it again would only be refused again.
  useEffect(() => {
    if (!error) start();
    return () => camera.current?.stop();
  }, []);

  return (
    <section aria-labelledby="scan-heading">
      <h1 id="scan-heading" tabIndex={-1}>
        {t('scan.heading')}
      </h1>
      <p class="hint">{t('scan.terminal', { label: terminalLabel })}</p>
      <p>{t('scan.intro')}</p>
      <div class="viewfinder" data-camera={cameraState}>
        <video ref={video} aria-label={t('scan.cameraLabel')} muted playsInline />
      </div>
      {cameraProblem ? (
        <p class="notice" role="status">
          {t('scan.noCamera')}
        </p>
      ) : null}
      {busy ? (
        <p role="status" class="notice">
          {t('scan.checking')}
        </p>
      ) : null}
      {error ? (
        <div class="result failure" role="alert" data-result="failure" data-code={error.code}>
          <p>{error.message}</p>
        </div>
      ) : null}
      <div class="row">
        {cameraOn ? (
          <button type="button" class="secondary" onClick={stop}>
            {t('scan.stop')}
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() => start()}
            disabled={busy || cameraState === 'starting'}
          >
            {t('scan.start')}
          </button>
        )}
        {cameras.length > 1 ? (
          <button type="button" class="secondary" onClick={switchCamera}>
            {t('scan.switchCamera')}
          </button>
        ) : null}
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (manual.trim()) {
            stop();
            onCode(manual.trim());
          }
        }}
      >
        <h2>{t('scan.manual')}</h2>
        <label for="manual-code">{t('scan.manualLabel')}</label>
        <p id="manual-code-hint" class="hint">
          {t('scan.manualHint')}
        </p>
        <input
          id="manual-code"
          autoComplete="off"
          spellcheck={false}
          aria-describedby="manual-code-hint"
          value={manual}
          onInput={(event) => setManual((event.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy}>
          {t('scan.manualSubmit')}
        </button>
      </form>
    </section>
  );
}
