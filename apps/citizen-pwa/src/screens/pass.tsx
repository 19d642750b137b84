import { useEffect, useRef, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { useRemembered } from '../data.ts';
import { language, useT } from '../i18n.ts';
import { formatTime } from '../money.ts';
import { ROTATION_SECONDS, signPresentation } from '../presentation.ts';
import type { DevicePass, Session } from '../store.ts';

interface StaticPass {
  text: string;
  serial?: string;
}

/** Draws QR text on a canvas, big modules and a wide quiet zone so old scanners read it. */
function QrCanvas({ text, label, id }: { text: string | undefined; label: string; id: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current && text) {
      QRCode.toCanvas(canvas.current, text, { errorCorrectionLevel: 'M', margin: 4, width: 288 }).catch(
        () => {},
      );
    }
  }, [text]);
  return <canvas id={id} ref={canvas} role="img" aria-label={label} class="qr" width={288} height={288} />;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener('online', update);
    addEventListener('offline', update);
    return () => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** A new signed presentation every ROTATION_SECONDS, made on the phone (works offline). */
function useRotatingPresentation(device: DevicePass): { text: string | undefined; issuedAt: number } {
  const [current, setCurrent] = useState<{ text: string | undefined; issuedAt: number }>({
    text: undefined,
    issuedAt: 0,
  });
  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      const issuedAt = Date.now();
      const text = await signPresentation(device.privateKey, device.accountId, device.deviceId, issuedAt);
      if (!cancelled) setCurrent({ text, issuedAt });
    };
    refresh();
    const timer = setInterval(refresh, ROTATION_SECONDS * 1000);
    // Coming back to the app after a while: show a fresh code at once, not an old one.
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [device]);
  return current;
}

export function PassScreen({ device, session }: { device: DevicePass; session: Session | undefined }) {
  const t = useT();
  const online = useOnline();
  const [showStatic, setShowStatic] = useState(false);
  const rotating = useRotatingPresentation(device);
  const staticPass = useRemembered<StaticPass>('static-pass', '/me/pass', session);
  // navigator.onLine misses many dead connections; a failed fetch is the surer sign.
  const offline = !online || staticPass.error?.code === 'OFFLINE';

  return (
    <section aria-labelledby="pass-heading">
      <h1 id="pass-heading" tabIndex={-1}>
        {showStatic ? t('pass.staticHeading') : t('pass.heading')}
      </h1>
      {offline ? (
        <p class="notice" role="status">
          {t('pass.offlineNote')}
        </p>
      ) : null}
      {showStatic ? (
        <div class="pass-card" data-pass="static">
          <p>{t('pass.staticIntro')}</p>
          {staticPass.data?.text ? (
            <QrCanvas id="static-qr" text={staticPass.data.text} label={t('pass.staticHeading')} />
          ) : (
            <p class="notice">{t('pass.staticMissing')}</p>
          )}
        </div>
      ) : (
        <div class="pass-card" data-pass="rotating" data-issued-at={rotating.issuedAt || undefined}>
          <p>{t('pass.rotatingIntro', { seconds: ROTATION_SECONDS })}</p>
          <QrCanvas id="rotating-qr" text={rotating.text} label={t('pass.qrLabel')} />
          <p class="hint" aria-live="off">
            {rotating.issuedAt ? t('pass.updated', { time: formatTime(rotating.issuedAt, language()) }) : ''}
          </p>
        </div>
      )}
      <button type="button" class="secondary" onClick={() => setShowStatic(!showStatic)}>
        {showStatic ? t('pass.showRotating') : t('pass.showStatic')}
      </button>
    </section>
  );
}
