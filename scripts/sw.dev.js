// Development build (trunk serve): no offline cache. This worker replaces any release worker of
// the same origin, deletes Kiln's caches and unregisters itself, so every reload shows the code
// just built. (Version __KILN_VERSION__; precache list unused: __KILN_PRECACHE__.length)
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('kiln-')).map((key) => caches.delete(key))))
      .then(() => self.registration.unregister())
  );
});
