// The installable web app's worker, emptying its store at sign-out, reading a section aloud, and
// counting the characters left in fields with a limit.
const script = document.querySelector("script[data-service-worker]");

async function forgetOffline() {
  if ("caches" in window) {
    const names = await caches.keys();
    await Promise.all(names.map((name) => caches.delete(name)));
  }
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage("forget");
  }
}

if (script && "serviceWorker" in navigator) {
  if (script.hasAttribute("data-forget-offline")) {
    forgetOffline();
  }
  navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(() => {
    // Without a worker the toolkit works as before, only not offline.
  });
}

function startListening(controls) {
  const speech = window.speechSynthesis;
  const content = document.querySelector(controls.dataset.listenTo);
  if (!speech || typeof window.SpeechSynthesisUtterance !== "function" || !content) {
    return;
  }
  const listen = controls.querySelector("[data-listen-start]");
  const pause = controls.querySelector("[data-listen-pause]");
  const stop = controls.querySelector("[data-listen-stop]");
  const status = controls.querySelector("[data-listen-status]");
  const words = controls.dataset;
  // The controls sit just above the words they read.
  content.parentNode.insertBefore(controls, content);
  controls.hidden = false;

  function show(state) {
    pause.hidden = state === "stopped";
    stop.hidden = state === "stopped";
    listen.hidden = state === "speaking";
    listen.textContent = state === "paused" ? words.resume : words.listen;
    status.textContent = state === "speaking" ? words.speaking : state === "paused" ? words.paused : "";
  }

  listen.addEventListener("click", () => {
    if (speech.paused && speech.speaking) {
      speech.resume();
      show("speaking");
      return;
    }
    speech.cancel();
    const utterance = new SpeechSynthesisUtterance(content.innerText);
    utterance.lang = content.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang;
    utterance.addEventListener("end", () => show("stopped"));
    speech.speak(utterance);
    show("speaking");
  });
  pause.addEventListener("click", () => {
    speech.pause();
    show("paused");
  });
  stop.addEventListener("click", () => {
    speech.cancel();
    show("stopped");
    listen.focus();
  });
  window.addEventListener("pagehide", () => speech.cancel());
  show("stopped");
}

document.querySelectorAll("[data-listen-to]").forEach(startListening);

function countCharacters(field) {
  const limit = Number(field.dataset.maxChars);
  const message = document.getElementById(`${field.id}-count`);
  if (!limit || !message) {
    return;
  }
  const words = message.dataset;
  let timer;
  function update() {
    const left = limit - field.value.length;
    const over = left < 0;
    message.textContent = (over ? words.over : words.left).replace("{n}", Math.abs(left).toLocaleString());
    message.classList.toggle("nhsuk-error-message", over);
    field.classList.toggle("nhsuk-textarea--error", over && field.tagName === "TEXTAREA");
  }
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
  message.hidden = false;
  update();
}

document.querySelectorAll("[data-max-chars]").forEach(countCharacters);
