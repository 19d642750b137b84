// Service worker of an app served by the API (the build fills in the file list, version and prefix).
// The app shell comes from the cache so the app opens with no connection; the page itself
// keeps its data in IndexedDB, so API calls are never cached here.
const PRECACHE_URLS = __PRECACHE_URLS__;
const PREFIX = __CACHE_PREFIX__;
const CACHE = `${PREFIX}${__CACHE_VERSION__}`;
const BASE = __BASE__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE_URLS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(BASE)) {
    return;
  }
  if (request.mode === 'navigate') {
    // Fresh shell when online (a new version shows at once), the cached one when not.
    event.respondWith(fetch(request).catch(() => caches.match(BASE)));
    return;
  }
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});
