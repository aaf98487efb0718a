// The support map's picture, made movable: drag an entry, or reach it with Tab and use the arrow keys.
// Without this script the list under the picture carries every action with ordinary forms.

const RINGS = [80, 140]; // the outer edges of the closest and close circles, in picture units
const PLACES = { 1: 52, 2: 111, 3: 169 }; // where each circle's entries are drawn
const CENTRE = 200; // the picture is 400 units across, with a margin of 20 all round for the labels
const SAVE_AFTER_MS = 500;

function place(node, circle, angle) {
  const radians = (angle * Math.PI) / 180;
  const x = CENTRE + PLACES[circle] * Math.cos(radians);
  const y = CENTRE + PLACES[circle] * Math.sin(radians);
  node.setAttribute("transform", `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
  node.dataset.circle = String(circle);
  node.dataset.angle = String(Math.round(angle));
}

function circleAt(distance) {
  if (distance < RINGS[0]) return 1;
  if (distance < RINGS[1]) return 2;
  return 3;
}

function setUp(figure) {
  const svg = figure.querySelector("svg");
  const status = document.getElementById("netmap-status");
  const help = document.querySelector(".react-netmap__how");
  const token = document.querySelector('input[name="csrf_token"]');
  if (!svg || !status || !token) return;
  const names = { 1: svg.dataset.circle1, 2: svg.dataset.circle2, 3: svg.dataset.circle3 };
  const timers = new Map();

  figure.classList.add("react-netmap--live");
  svg.setAttribute("role", "group");
  if (help) {
    help.hidden = false;
    help.id = "netmap-how";
  }

  function describe(node) {
    node.setAttribute("aria-label", `${node.dataset.label}: ${names[node.dataset.circle]}`);
  }

  async function refreshList() {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ["netmap-list", "netmap-summary"]) {
      const fresh = page.getElementById(id);
      const here = document.getElementById(id);
      if (fresh && here) here.replaceWith(fresh);
    }
  }

  async function save(node) {
    const body = new FormData();
    body.append("csrf_token", token.value);
    body.append("circle", node.dataset.circle);
    body.append("angle", node.dataset.angle);
    const response = await fetch(node.dataset.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    if (response.ok) {
      status.textContent = svg.dataset.saved
        .replace("%(label)s", node.dataset.label)
        .replace("%(circle)s", names[node.dataset.circle]);
      await refreshList();
    } else {
      status.textContent = svg.dataset.failed;
    }
  }

  function saveSoon(node) {
    clearTimeout(timers.get(node));
    timers.set(node, setTimeout(() => save(node), SAVE_AFTER_MS));
  }

  for (const node of svg.querySelectorAll(".react-netmap__node")) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    if (help) node.setAttribute("aria-describedby", "netmap-how");
    describe(node);

    node.addEventListener("keydown", (event) => {
      let circle = Number(node.dataset.circle);
      let angle = Number(node.dataset.angle);
      if (event.key === "ArrowUp") circle = Math.max(1, circle - 1);
      else if (event.key === "ArrowDown") circle = Math.min(3, circle + 1);
      else if (event.key === "ArrowLeft") angle = (angle + 345) % 360;
      else if (event.key === "ArrowRight") angle = (angle + 15) % 360;
      else return;
      event.preventDefault();
      place(node, circle, angle);
      describe(node);
      status.textContent = `${node.dataset.label}: ${names[circle]}`;
      saveSoon(node);
    });

    node.addEventListener("pointerdown", (event) => {
      node.setPointerCapture(event.pointerId);
      node.classList.add("is-dragging");
      node.dataset.dragged = "";
    });

    node.addEventListener("pointermove", (event) => {
      if (!node.hasPointerCapture(event.pointerId)) return;
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
      node.setAttribute("transform", `translate(${point.x.toFixed(1)} ${point.y.toFixed(1)})`);
      node.dataset.dragged = `${point.x} ${point.y}`;
    });

    node.addEventListener("pointerup", (event) => {
      if (!node.hasPointerCapture(event.pointerId)) return;
      node.releasePointerCapture(event.pointerId);
      node.classList.remove("is-dragging");
      if (!node.dataset.dragged) return;
      const [x, y] = node.dataset.dragged.split(" ").map(Number);
      const dx = x - CENTRE;
      const dy = y - CENTRE;
      const angle = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
      place(node, circleAt(Math.hypot(dx, dy)), angle);
      describe(node);
      save(node);
    });
  }
}

const figure = document.getElementById("netmap");
if (figure) setUp(figure);
