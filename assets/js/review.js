// The review page's keyboard shortcuts and box drawing: progressive enhancement of plain forms.
// Everything here also works without JavaScript through the page's buttons and forms.
const root = document.querySelector("[data-sar-review]");

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

function findings() {
  return Array.from(root.querySelectorAll("[data-sar-finding]"));
}

let current = -1;

function select(index) {
  const items = findings();
  if (!items.length) return;
  current = Math.max(0, Math.min(index, items.length - 1));
  items.forEach((item, i) => item.classList.toggle("sar-finding--current", i === current));
  const item = items[current];
  item.focus();
  root.querySelectorAll(".sar-box--selected").forEach((box) => box.classList.remove("sar-box--selected"));
  root.querySelectorAll(`rect[data-finding="${item.dataset.sarFinding}"]`).forEach((box) => box.classList.add("sar-box--selected"));
}

function press(selector) {
  const items = findings();
  if (current < 0 || current >= items.length) return;
  const button = items[current].querySelector(selector);
  if (button) button.click();
}

function follow(selector) {
  const link = root.querySelector(selector);
  if (link) window.location.assign(link.href);
}

// --- drawing a box on the page image (mouse, or keyboard after "b") ---
const page = root.querySelector("[data-sar-page]");
const overlay = root.querySelector("[data-sar-overlay]");
const boxForm = root.querySelector("[data-sar-box-form]");
let drawing = null;
let keyboardBox = null;

function toPoints(event) {
  const bounds = overlay.getBoundingClientRect();
  const width = parseFloat(page.dataset.width);
  const height = parseFloat(page.dataset.height);
  return [((event.clientX - bounds.left) / bounds.width) * width, ((event.clientY - bounds.top) / bounds.height) * height];
}

function showBox(x0, y0, x1, y1) {
  if (!drawing) {
    drawing = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    drawing.setAttribute("class", "sar-box sar-box--drawing");
    overlay.appendChild(drawing);
  }
  drawing.setAttribute("x", Math.min(x0, x1));
  drawing.setAttribute("y", Math.min(y0, y1));
  drawing.setAttribute("width", Math.abs(x1 - x0));
  drawing.setAttribute("height", Math.abs(y1 - y0));
}

function fillBoxForm(x0, y0, x1, y1) {
  if (!boxForm) return;
  const values = { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
  for (const [name, value] of Object.entries(values)) {
    boxForm.querySelector(`[name="${name}"]`).value = value.toFixed(1);
  }
  boxForm.querySelector("select").focus();
}

if (page && overlay && boxForm) {
  overlay.style.cursor = "crosshair";
  let start = null;
  overlay.addEventListener("pointerdown", (event) => {
    start = toPoints(event);
    overlay.setPointerCapture(event.pointerId);
  });
  overlay.addEventListener("pointermove", (event) => {
    if (!start) return;
    const [x, y] = toPoints(event);
    showBox(start[0], start[1], x, y);
  });
  overlay.addEventListener("pointerup", (event) => {
    if (!start) return;
    const [x, y] = toPoints(event);
    if (Math.abs(x - start[0]) > 2 && Math.abs(y - start[1]) > 2) fillBoxForm(start[0], start[1], x, y);
    start = null;
  });
}

function keyboardDraw(event) {
  const width = parseFloat(page.dataset.width);
  const height = parseFloat(page.dataset.height);
  const step = event.altKey ? 1 : 10;
  const [x, y, w, h] = keyboardBox;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (event.key in moves) {
    const [dx, dy] = moves[event.key];
    keyboardBox = event.shiftKey
      ? [x, y, Math.max(5, w + dx), Math.max(5, h + dy)]
      : [Math.max(0, Math.min(width - w, x + dx)), Math.max(0, Math.min(height - h, y + dy)), w, h];
  } else if (event.key === "Enter") {
    fillBoxForm(x, y, x + w, y + h);
    keyboardBox = null;
  } else if (event.key === "Escape") {
    keyboardBox = null;
    if (drawing) drawing.remove();
    drawing = null;
    return true;
  } else {
    return false;
  }
  if (keyboardBox) showBox(keyboardBox[0], keyboardBox[1], keyboardBox[0] + keyboardBox[2], keyboardBox[1] + keyboardBox[3]);
  return true;
}

// --- selecting words in the text view fills in the "words to redact" box ---
const selectionInput = root.querySelector("[data-sar-selection]");
const textView = root.querySelector(".sar-text-view");
if (selectionInput && textView) {
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !textView.contains(selection.anchorNode)) return;
    const text = selection.toString().replace(/\s+/g, " ").trim();
    if (text) selectionInput.value = text.slice(0, 200);
  });
}

// Single-key shortcuts can be turned off (WCAG 2.1.4), remembered in this browser.
const STORAGE_KEY = "sar-review-shortcuts";
const toggle = root.querySelector("[data-sar-shortcuts-toggle]");
function shortcutsOn() {
  try {
    return window.localStorage.getItem(STORAGE_KEY) !== "off";
  } catch {
    return true;
  }
}
function showToggle() {
  toggle.textContent = shortcutsOn() ? "Turn keyboard shortcuts off" : "Turn keyboard shortcuts on";
}
if (toggle) {
  toggle.hidden = false;
  showToggle();
  toggle.addEventListener("click", () => {
    try {
      window.localStorage.setItem(STORAGE_KEY, shortcutsOn() ? "off" : "on");
    } catch {
      // private browsing without storage: nothing to remember
    }
    showToggle();
  });
}

document.addEventListener("keydown", (event) => {
  if (!shortcutsOn()) return;
  if (keyboardBox && keyboardDraw(event)) {
    event.preventDefault();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  switch (event.key) {
    case "j":
      select(current + 1);
      break;
    case "k":
      select(current - 1);
      break;
    case "a":
      press("[data-sar-accept]");
      break;
    case "r":
      press("[data-sar-reject]");
      break;
    case "n":
      follow("[data-sar-next-page]");
      break;
    case "p":
      follow("[data-sar-previous-page]");
      break;
    case "b":
      if (!page || !boxForm) return;
      keyboardBox = [parseFloat(page.dataset.width) / 4, parseFloat(page.dataset.height) / 4, 150, 30];
      keyboardDraw({ key: "ArrowRight", altKey: true, shiftKey: false });
      page.scrollIntoView({ block: "center" });
      break;
    default:
      return;
  }
  event.preventDefault();
});

// After a decision the server sends us back to the next finding (#finding-N): select it so "a"/"r" act on it.
const anchored = window.location.hash.match(/^#finding-(\d+)$/);
if (anchored) {
  const index = findings().findIndex((item) => item.dataset.sarFinding === anchored[1]);
  if (index >= 0) select(index);
}
