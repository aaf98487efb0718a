// Keeps the module sections a person has opened readable without a connection, and nothing else.
// Only addresses on the allow-list below are ever stored: the toolkit's own stylesheets and scripts,
// and module section pages. Forum, messages, toolbox, account and staff pages never are.
// Signing out empties the store.
const STORE = "react-offline-v1";
const ASSETS = {{ assets | tojson }};
const SECTION = new RegExp({{ section_path | tojson }});
const SIGNED_OUT = {{ signed_out | tojson }};

function kept(url) {
  if (url.origin !== self.location.origin) {
    return false;
  }
  // An asset is kept at exactly the addresses listed, its version included; a page only with none.
  return ASSETS.includes(url.pathname + url.search) || (!url.search && SECTION.test(url.pathname));
}

function forgetEverything() {
  return caches.keys().then((names) => Promise.all(names.map((name) => caches.delete(name))));
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  // A store left by an older worker may hold pages under rules that no longer apply.
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== STORE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "forget") {
    event.waitUntil(forgetEverything());
  }
});

async function fromNetworkThenStore(request) {
  try {
    const response = await fetch(request);
    // A redirect (to the sign-in page, say) or an error is never kept.
    if (response.ok && !response.redirected && response.type === "basic" && kept(new URL(response.url))) {
      const store = await caches.open(STORE);
      await store.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const stored = await caches.match(request, { cacheName: STORE });
    if (stored) {
      return stored;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && url.pathname === SIGNED_OUT) {
    event.waitUntil(forgetEverything());
    return;
  }
  if (kept(url)) {
    event.respondWith(fromNetworkThenStore(request));
  }
});
