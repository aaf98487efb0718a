// Passkeys: make one from the account page, or use one to finish signing in.
// The page holds the server's options as JSON; the browser's answer goes back in an ordinary form post.

function toBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
}

function toText(buffer) {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function withIds(list) {
  return (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));
}

function make(options) {
  return navigator.credentials.create({
    publicKey: {
      ...options,
      challenge: toBytes(options.challenge),
      user: { ...options.user, id: toBytes(options.user.id) },
      excludeCredentials: withIds(options.excludeCredentials),
    },
  });
}

function use(options) {
  return navigator.credentials.get({
    publicKey: {
      ...options,
      challenge: toBytes(options.challenge),
      allowCredentials: withIds(options.allowCredentials),
    },
  });
}

function answer(credential) {
  const response = credential.response;
  const parts = { clientDataJSON: toText(response.clientDataJSON) };
  if (response.attestationObject) {
    parts.attestationObject = toText(response.attestationObject);
    parts.transports = typeof response.getTransports === "function" ? response.getTransports() : [];
  } else {
    parts.authenticatorData = toText(response.authenticatorData);
    parts.signature = toText(response.signature);
    parts.userHandle = response.userHandle ? toText(response.userHandle) : null;
  }
  return {
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: parts,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || null,
  };
}

for (const box of document.querySelectorAll("[data-passkey]")) {
  if (!window.PublicKeyCredential || !navigator.credentials) {
    continue;
  }
  box.hidden = false;
  for (const note of document.querySelectorAll("[data-passkey-unavailable]")) {
    note.hidden = true;
  }
  const options = JSON.parse(box.querySelector("[data-passkey-options]").textContent);
  const form = box.querySelector("[data-passkey-form]");
  const problem = box.querySelector("[data-passkey-problem]");
  box.querySelector("[data-passkey-button]").addEventListener("click", async () => {
    problem.hidden = true;
    try {
      const credential = box.dataset.passkey === "create" ? await make(options) : await use(options);
      form.elements.credential.value = JSON.stringify(answer(credential));
      const remember = document.querySelector("input[type=checkbox][name=remember]");
      if (form.elements.remember && remember) {
        form.elements.remember.value = remember.checked ? "y" : "";
      }
      form.submit();
    } catch {
      problem.hidden = false;
    }
  });
}
