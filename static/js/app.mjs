// Starts the NHS.UK frontend components and warns before an idle session ends.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();

function startTimeoutWarning() {
  const body = document.body;
  const idleMinutes = Number(body.dataset.sessionIdleMinutes || 0);
  const warningMinutes = Number(body.dataset.sessionWarningMinutes || 2);
  const dialog = document.getElementById("session-timeout");
  if (!idleMinutes || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const form = dialog.querySelector("[data-timeout-form]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const token = form.querySelector("input[name=csrf_token]").value;
  let warnTimer;
  let endTimer;
  let tick;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    warnTimer = setTimeout(warn, (idleMinutes - warningMinutes) * 60 * 1000);
    endTimer = setTimeout(() => form.submit(), idleMinutes * 60 * 1000 - 5000);
  }

  function warn() {
    let left = warningMinutes * 60;
    const show = () => {
      const minutes = Math.floor(left / 60);
      const seconds = left % 60;
      // The words come from the page, in its language: "{n} minutes" and so on.
      const words = dialog.dataset;
      const template = minutes > 0 ? (minutes === 1 ? words.minute : words.minutes) : words.seconds;
      countdown.textContent = template.replace("{n}", minutes > 0 ? minutes : seconds);
    };
    show();
    tick = setInterval(() => {
      left = Math.max(0, left - 15);
      show();
    }, 15000);
    dialog.showModal();
    stay.focus();
  }

  stay.addEventListener("click", async () => {
    const response = await fetch(stay.dataset.url, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
    dialog.close();
    if (response.ok) {
      schedule();
    } else {
      window.location.reload();
    }
  });
  schedule();
}

startTimeoutWarning();

// Print buttons appear only when scripts run; without them, the browser's own print works the same.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
